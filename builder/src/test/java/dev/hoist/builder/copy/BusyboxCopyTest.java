package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.image.Digest;
import dev.hoist.store.layer.ApplyOptions;
import dev.hoist.store.layer.LayerApplier;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.store.posix.Posix;
import dev.hoist.testkit.BusyboxRootfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY against a real busybox rootfs split over three layers (Debian's busybox-static), and the
 * staged tree carried through hoist's own layer writer and applier unchanged.
 */
class BusyboxCopyTest {
  @TempDir Path tmp;
  List<Path> busyboxTopFirst;
  Path ctx;

  @BeforeEach
  void rootfs() throws IOException {
    // The one external need: /bin/busybox from busybox-static, which CI installs.
    assumeTrue(BusyboxRootfs.available(), "busybox-static is not installed");
    List<Path> bottomFirst = BusyboxRootfs.createLayers(tmp.resolve("busybox"), 3);
    busyboxTopFirst = new ArrayList<>(bottomFirst);
    Collections.reverse(busyboxTopFirst);
    ctx = Trees.write(tmp.resolve("ctx"), "src/main.sh=echo hi", "src/lib/util.sh=true");
  }

  @Test
  void chownByNameInBusyboxAndItsExistingHome() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(
        Specs.copy(ctx, "/home/app/", "src").chown("app:staff").into(busyboxTopFirst).build(),
        staging);
    assertEquals(
        List.of(
            "d 0755 0:0 home",
            "d 0755 1000:1000 home/app",
            "d 0755 1000:50 home/app/lib",
            "f 0644 1000:50 home/app/lib/util.sh \"true\"",
            "f 0644 1000:50 home/app/main.sh \"echo hi\""),
        Trees.list(staging));
  }

  @Test
  void copyFromBusyboxFollowsTheAppletLinkToTheBinary() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.copy(ctx, "/out/", "/bin/sh").from(busyboxTopFirst).build(), staging);
    assertArrayEquals(
        Files.readAllBytes(BusyboxRootfs.BUSYBOX), Files.readAllBytes(staging.resolve("out/sh")));
  }

  @Test
  void copyFromBusyboxMergesTheLayersOfADirectory() throws IOException {
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(Specs.copy(ctx, "/out/", "/etc").from(busyboxTopFirst).build(), staging);
    Path etc = busyboxTopFirst.get(2).resolve("etc"); // the bottom layer holds /etc
    assertEquals(
        List.of(
            "d 0755 0:0 out",
            "f 0644 0:0 out/group \"" + Files.readString(etc.resolve("group")) + "\"",
            "f 0644 0:0 out/passwd \"" + Files.readString(etc.resolve("passwd")) + "\""),
        Trees.list(staging));
  }

  @Test
  void theStagedTreeSurvivesTheLayerWriterAndApplier() throws IOException {
    Files.createLink(ctx.resolve("src/hard.sh"), ctx.resolve("src/main.sh"));
    Posix.symlink("../main.sh", ctx.resolve("src/lib/link"));
    Posix.chmod(ctx.resolve("src/main.sh"), 04755);
    Path staging = Files.createTempDirectory(tmp, "staging");
    Copier.stage(
        Specs.copy(ctx, "/usr/local/app/", "src").chown("app").into(busyboxTopFirst).build(),
        staging);
    LayerFile layer =
        new LayerWriter(LayerOptions.defaults())
            .write(LayerSource.directory(staging), tmp.resolve("layer.tgz"));
    Path applied = Files.createDirectories(tmp.resolve("applied"));
    try (InputStream in = Files.newInputStream(layer.path())) {
      new LayerApplier(ApplyOptions.tree(Digest.sha256(new byte[0]))).apply(in, applied);
    }
    assertEquals(Trees.list(staging), Trees.list(applied));
    assertEquals(
        Posix.lstat(applied.resolve("usr/local/app/main.sh")).ino(),
        Posix.lstat(applied.resolve("usr/local/app/hard.sh")).ino());
  }
}
