package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code hoist build --build-context}, end to end against a real registry and sandbox. */
class BuildContextTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(Path context, String... extra) {
    return base.build(tmp.resolve("store"), context, extra);
  }

  private Path unpacked(String tag, String dir) throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      StoredImage image = store.resolve(tag);
      return BuildFixtures.unpack(store, image, tmp.resolve(dir));
    }
  }

  @Test
  void aLocalContext_isReadByCopyFromAndMountFrom_withItsOwnDockerignore() throws IOException {
    Path files = Files.createDirectories(tmp.resolve("files"));
    Files.writeString(files.resolve("a.txt"), "one\n");
    Files.writeString(files.resolve("skip.log"), "ignored\n");
    Files.writeString(files.resolve(".dockerignore"), "*.log\n");
    Path ctx =
        BuildFixtures.context(
            tmp.resolve("ctx"),
            "COPY --from=files / /files/\n"
                + "RUN --mount=from=files,target=/m cat /m/a.txt > /mounted\n");
    // The main context's .dockerignore says nothing of the named one.
    Files.writeString(ctx.resolve(".dockerignore"), "*\n");

    HoistRunner.Result r = build(ctx, "-t", "ctx:1", "--build-context", "files=" + files);
    assertEquals(0, r.status(), r.stderr());
    Path fs = unpacked("ctx:1", "fs1");
    assertEquals("one\n", Files.readString(fs.resolve("files/a.txt")));
    assertFalse(Files.exists(fs.resolve("files/skip.log")), "the context's own .dockerignore");
    assertEquals("one\n", Files.readString(fs.resolve("mounted")));

    Files.writeString(files.resolve("a.txt"), "two\n");
    HoistRunner.Result again = build(ctx, "-t", "ctx:2", "--build-context", "files=" + files);
    assertEquals(0, again.status(), again.stderr());
    assertFalse(again.stderr().contains("CACHED"), "a changed file misses: " + again.stderr());
    Path fs2 = unpacked("ctx:2", "fs2");
    assertEquals("two\n", Files.readString(fs2.resolve("files/a.txt")));
    assertEquals("two\n", Files.readString(fs2.resolve("mounted")));
  }

  @Test
  void anImageContext_replacesAStageOfItsName_andAnImageOfItsName() throws IOException {
    String busybox = "docker-image://" + base.busybox();
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        ctx.resolve("Dockerfile"),
        "FROM alpine AS build\n"
            + "RUN exit 1\n"
            + "FROM docker.io/library/debian:bookworm\n"
            + "COPY --from=build /bin/busybox /from-build\n"
            + "RUN echo ran > /ran\n");
    // No internet: debian and alpine can only come from the contexts; the failing RUN never runs.
    HoistRunner.Result r =
        build(
            ctx,
            "-t",
            "img:1",
            "--build-context",
            "build=" + busybox,
            "--build-context",
            "debian:bookworm=" + busybox);
    assertEquals(0, r.status(), r.stderr());
    Path fs = unpacked("img:1", "fs");
    assertTrue(Files.isRegularFile(fs.resolve("from-build")));
    assertEquals("ran\n", Files.readString(fs.resolve("ran")));
  }

  @Test
  void anOciLayoutContext_isTheBaseImage() throws IOException {
    Path layout = tmp.resolve("layout");
    HoistRunner.Result copied =
        HoistRunner.inStore(
            tmp.resolve("seed"), "copy", "docker://" + base.busybox(), "oci:" + layout + ":v1");
    assertEquals(0, copied.status(), copied.stderr());
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM base\nRUN echo hi > /hi\n");

    HoistRunner.Result r =
        build(ctx, "-t", "oci:1", "--build-context", "base=oci-layout://" + layout + ":v1");
    assertEquals(0, r.status(), r.stderr());
    assertEquals("hi\n", Files.readString(unpacked("oci:1", "fs").resolve("hi")));
  }

  @Test
  void aLocalContextAsFromBase_isItsFilesAsALayer() throws IOException {
    Path files = Files.createDirectories(tmp.resolve("files"));
    Files.writeString(files.resolve("a.txt"), "one\n");
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM files\nENV X=1\n");
    HoistRunner.Result r = build(ctx, "-t", "dir:1", "--build-context", "files=" + files);
    assertEquals(0, r.status(), r.stderr());
    assertEquals("one\n", Files.readString(unpacked("dir:1", "fs").resolve("a.txt")));
  }

  @Test
  void aUrlContext_isOneLineAndExit1() throws IOException {
    Path ctx = BuildFixtures.context(tmp.resolve("ctx"), "");
    HoistRunner.Result r = build(ctx, "--build-context", "src=https://example.com/src.tar");
    assertEquals(1, r.status(), r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    assertTrue(
        r.stderr().startsWith("hoist: --build-context src=https://example.com/src.tar: "),
        r.stderr());
  }
}
