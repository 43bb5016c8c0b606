package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syntax newer than Docker 20.10's BuildKit knows, checked against the Dockerfile reference and
 * BuildKit's own tests: symbolic {@code --chmod} and {@code ADD --unpack} work; {@code RUN
 * --device} and {@code RUN --security=insecure}, which hoist cannot honour yet, are refused in one
 * line instead of being dropped.
 */
class NewerSyntaxBuildTest {
  @RegisterExtension static final BusyboxRegistry REGISTRY = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(String dockerfile, String... extra) throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        ctx.resolve("Dockerfile"), dockerfile.replace("BASE", REGISTRY.busybox().toString()));
    String[] args = new String[] {"build", "-q", "-t", "newer:1"};
    String[] all = new String[args.length + extra.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    all[all.length - 1] = ctx.toString();
    return HoistRunner.inStore(tmp.resolve("store"), all);
  }

  @Test
  void symbolicChmodAndUnpackFalse_giveTheFilesBuildKitGives() throws IOException {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("tool.sh"), "echo hi\n");
    Posix.chmod(ctx.resolve("tool.sh"), 0640);
    byte[] archive = tar();
    Files.write(ctx.resolve("bundle.tar"), archive);
    Path out = tmp.resolve("out");
    HoistRunner.Result r =
        build(
            "FROM BASE\n"
                + "COPY --chmod=u+x,g=u,o-rwx tool.sh /a\n"
                + "COPY --chmod=a=rX tool.sh /b\n"
                + "ADD --unpack=false bundle.tar /kept/\n"
                + "ADD bundle.tar /extracted/\n",
            "-o",
            "type=local,dest=" + out);
    assertEquals(0, r.status(), r.stderr());
    assertEquals(0770, Posix.lstat(out.resolve("a")).permissions());
    assertEquals(0444, Posix.lstat(out.resolve("b")).permissions());
    assertArrayEquals(archive, Files.readAllBytes(out.resolve("kept/bundle.tar")));
    assertEquals("F", Files.readString(out.resolve("extracted/f.txt")));
  }

  @Test
  void runDevice_isRefusedInOneLine() throws IOException {
    HoistRunner.Result r = build("FROM BASE\nRUN true\nRUN --device=vendor.com/gpu=all true\n");
    assertEquals(1, r.status());
    assertEquals(
        "hoist: Dockerfile:3: RUN --device (CDI devices in the step) is not supported by hoist"
            + " yet; remove the flag",
        r.stderr().strip());
    assertNotEquals(0, HoistRunner.inStore(tmp.resolve("store"), "inspect", "newer:1").status());
  }

  @Test
  void runSecurityInsecure_isRefusedInOneLine_andSandboxBuilds() throws IOException {
    HoistRunner.Result r = build("FROM BASE\nRUN --security=insecure true\n");
    assertEquals(1, r.status());
    assertTrue(
        r.stderr()
            .strip()
            .endsWith(
                "Dockerfile:2: RUN --security=insecure needs the security.insecure entitlement,"
                    + " which hoist does not grant yet; remove the flag"),
        r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    HoistRunner.Result sandbox = build("FROM BASE\nRUN --security=sandbox true\n");
    assertEquals(0, sandbox.status(), sandbox.stderr());
  }

  private static byte[] tar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] content = "F".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("f.txt");
      file.setMode(0100644);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}
