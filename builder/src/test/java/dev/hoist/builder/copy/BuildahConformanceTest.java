package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.store.posix.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same COPY and ADD lines built by buildah (a peer that implements Docker's rules) and staged
 * by hoist give the same tree: paths, types, modes, owners, contents and link targets.
 */
class BuildahConformanceTest {
  private static final Path BUILDAH = Path.of("/usr/bin/buildah");

  @TempDir Path tmp;

  /** One Dockerfile line and the spec hoist's executor would make of it. */
  private record Line(String dockerfile, Function<Path, Specs> spec) {}

  @Test
  void copyAndAddGiveBuildahsTree() throws Exception {
    // The one external need: buildah (Debian package), which CI installs.
    assumeTrue(Files.isExecutable(BUILDAH), "buildah is not installed");
    Path ctx =
        Trees.write(
            tmp.resolve("ctx"),
            "a.txt=A",
            "b.txt=B",
            "dir/c.txt=C",
            "dir/sub/d.txt=D",
            "dir/rel->c.txt",
            "link->a.txt",
            "ignored.log=I",
            "keep.log=K",
            ".dockerignore=*.log\n!keep.log\nDockerfile\n.dockerignore\n");
    Posix.chmod(ctx.resolve("dir/sub"), 0700);
    Posix.chmod(ctx.resolve("b.txt"), 0755);
    Posix.lchown(ctx.resolve("a.txt"), 123, 456);
    Files.write(ctx.resolve("arch.bin"), archive());
    List<Line> lines =
        List.of(
            new Line(
                "COPY --chown=1000:1001 dir /r1/x/",
                c -> Specs.copy(c, "/r1/x/", "dir").chown("1000:1001")),
            new Line("COPY a.txt /r2/", c -> Specs.copy(c, "/r2/", "a.txt")),
            new Line("COPY a.txt /r3/renamed", c -> Specs.copy(c, "/r3/renamed", "a.txt")),
            new Line("COPY *.txt /r4/", c -> Specs.copy(c, "/r4/", "*.txt")),
            new Line("COPY . /r5/", c -> Specs.copy(c, "/r5/", ".")),
            new Line("COPY --chmod=0700 dir /r6/", c -> Specs.copy(c, "/r6/", "dir").chmod("0700")),
            new Line("COPY link /r7/", c -> Specs.copy(c, "/r7/", "link")),
            new Line(
                "COPY dir/sub/d.txt b.txt /r8/",
                c -> Specs.copy(c, "/r8/", "dir/sub/d.txt", "b.txt")),
            new Line("ADD arch.bin /r9", c -> Specs.add(c, "/r9", "arch.bin")),
            new Line("WORKDIR /w", null),
            new Line("COPY a.txt rel/", c -> Specs.copy(c, "rel/", "a.txt").workdir("/w")));

    StringBuilder dockerfile = new StringBuilder("FROM scratch\n");
    Path hoist = Files.createDirectories(tmp.resolve("hoist"));
    int n = 0;
    for (Line line : lines) {
      dockerfile.append(line.dockerfile()).append('\n');
      if (line.spec() != null) {
        CopySpec spec =
            line.spec()
                .apply(ctx)
                .ignore("*.log", "!keep.log", "Dockerfile", ".dockerignore")
                .build();
        Path staging = Files.createDirectories(tmp.resolve("staging" + n++));
        Copier.stage(spec, staging);
        merge(staging, hoist);
      }
    }
    Files.createDirectories(hoist.resolve("w")); // WORKDIR makes its directory
    Path dockerfilePath = tmp.resolve("Dockerfile");
    Files.writeString(dockerfilePath, dockerfile);

    Path buildahTree = buildahBuild(ctx, dockerfilePath);
    assertEquals(Trees.list(buildahTree), Trees.list(hoist));
  }

  /** Moves a staged tree into the union of all steps (every step writes its own /rN). */
  private static void merge(Path staging, Path union) throws IOException {
    try (var children = Files.list(staging)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        Path target = union.resolve(child.getFileName().toString());
        if (Files.isDirectory(target) && Files.isDirectory(child)) {
          merge(child, target);
        } else {
          Files.move(child, target);
        }
      }
    }
  }

  private static byte[] archive() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      TarArchiveEntry dir = new TarArchiveEntry("top/");
      dir.setMode(040750);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] content = "F".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("top/f.txt");
      file.setMode(0100640);
      file.setIds(3, 4);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  /** Builds with buildah in its own storage and returns a copy of the image's rootfs. */
  private Path buildahBuild(Path ctx, Path dockerfile) throws Exception {
    List<String> storage =
        List.of(
            BUILDAH.toString(),
            "--root",
            tmp.resolve("storage").toString(),
            "--runroot",
            tmp.resolve("run").toString(),
            "--storage-driver",
            "vfs");
    run(
        cat(
            storage,
            "bud",
            "--isolation",
            "chroot",
            "--layers=false",
            "-q",
            "-f",
            dockerfile.toString(),
            "-t",
            "hoist-conformance",
            ctx.toString()));
    String container = run(cat(storage, "from", "hoist-conformance")).strip();
    String mount = run(cat(storage, "mount", container)).strip();
    Path copy = tmp.resolve("buildah-rootfs");
    // cp -a keeps what matters (owners, modes, links) and lets the storage go with the temp dir.
    run(List.of("cp", "-a", mount, copy.toString()));
    run(cat(storage, "umount", container));
    run(cat(storage, "rm", container));
    return copy;
  }

  private static List<String> cat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream();
        OutputStream o = out) {
      in.transferTo(o);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
