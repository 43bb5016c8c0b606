package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.Descriptor;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code RUN --mount=type=bind,rw} end to end, with the real CLI, namespaces and overlayfs: the
 * step may write to a bind of the context or of a stage, and, as in BuildKit, the writes are thrown
 * away after it: the context, the stage and the step's layer never see them.
 */
class BindMountWritesTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(Path root, Path context, String... extra) {
    return base.build(root, context, extra);
  }

  @Test
  void rwBinds_ofTheContextAndOfAStage_takeWritesThatReachNeitherTheSourceNorTheLayer()
      throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.createDirectories(context.resolve("src"));
    Files.writeString(context.resolve("src/in.txt"), "v1\n");
    Files.writeString(
        context.resolve("Dockerfile"),
        String.join(
            "\n",
            "ARG BASE",
            "FROM $BASE AS tools",
            "RUN mkdir /tools && echo tool > /tools/t.txt",
            "FROM $BASE",
            "RUN --mount=type=bind,rw,source=src,target=/src \\",
            "    --mount=type=bind,from=tools,source=/tools,target=/tools,readwrite=true \\",
            "    --mount=type=bind,source=src,target=/view \\",
            "    echo built >> /src/in.txt && touch /src/out.o && rm /tools/t.txt \\",
            "    && echo x > /tools/new && cat /src/in.txt /view/in.txt > /result \\",
            "    && ls /tools >> /result",
            "RUN --mount=type=bind,from=tools,source=/tools,target=/again ls /again > /again.txt",
            ""));
    Path root = tmp.resolve("store");

    HoistRunner.Result r = build(root, context, "-t", "rw:1");

    assertEquals(0, r.status(), r.stderr());
    try (var files = Files.list(context.resolve("src"))) {
      assertEquals(List.of(context.resolve("src/in.txt")), files.toList());
    }
    assertEquals("v1\n", Files.readString(context.resolve("src/in.txt")), "context unchanged");
    try (Store store = Store.open(root)) {
      StoredImage image = store.resolve("rw:1");
      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      assertEquals(
          "v1\nbuilt\nv1\nnew\n",
          Files.readString(fs.resolve("result")),
          "the step saw its writes; the read-only bind of the same source did not");
      assertEquals("t.txt\n", Files.readString(fs.resolve("again.txt")), "the stage kept its file");
      List<Descriptor> layers = image.manifest().layers();
      assertEquals(
          List.of("result"),
          entries(store, layers.get(layers.size() - 2)),
          "the rw RUN's layer holds what it wrote outside its mounts, and nothing else");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Without rw a bind is read-only, and the failure says how to make it writable.
        "--mount=type=bind,source=src,target=/src touch /src/x"
            + " | Dockerfile:3: RUN touch /src/x failed with exit code 1;"
            + " its last output: touch: /src/x: Read-only file system;"
            + " bind mounts are read-only (/src): add rw to the --mount to write there"
            + " (the writes are discarded after the step)",
        // The last of rw / ro wins, as in BuildKit.
        "--mount=type=bind,rw,ro=true,source=src,target=/src touch /src/x"
            + " | bind mounts are read-only (/src): add rw",
        "--mount=type=bind,rw,target=/src,mode=0755 true"
            + " | Dockerfile:3: --mount=type=bind,rw,target=/src,mode=0755:"
            + " unknown bind mount option 'mode'; use target, source, from, rw or ro",
        "--mount=type=bind,rw=yes,target=/src true"
            + " | Dockerfile:3: --mount=type=bind,rw=yes,target=/src: rw=yes is not true or false",
      })
  void aBindTheStepCannotUse_failsWithOneClearLine(String run, String message) throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "RUN " + run + "\n");
    Files.createDirectories(context.resolve("src"));

    HoistRunner.Result r = build(tmp.resolve("store"), context);

    assertEquals(1, r.status(), r.stderr());
    assertTrue(r.stderr().contains(message), r.stderr());
    assertFalse(Files.exists(context.resolve("src/x")));
  }

  /** The paths in a gzip layer blob, in order. */
  private static List<String> entries(Store store, Descriptor layer) throws IOException {
    byte[] blob = store.readBlob(layer.digest(), Long.MAX_VALUE);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
