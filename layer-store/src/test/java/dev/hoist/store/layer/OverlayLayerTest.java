package dev.hoist.store.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real overlayfs mounts (needs root, as CI runs): upper dir → layer, layer → lower dir. */
class OverlayLayerTest {
  private static final Digest LAYER = Digest.sha256(new byte[] {1});
  private static final LayerOptions EXACT_TIMES = LayerOptions.defaults().withSubsecondTimes(true);

  @TempDir Path tmp;

  /** The lower tree: what a base image holds. */
  private Path lowerTree() throws IOException {
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    Files.createDirectories(lower.resolve("etc/conf.d"));
    Files.writeString(lower.resolve("etc/conf.d/a.conf"), "a");
    Files.writeString(lower.resolve("etc/conf.d/b.conf"), "b");
    Files.writeString(lower.resolve("etc/hostname"), "lower");
    Files.writeString(lower.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    Files.createDirectories(lower.resolve("var/cache/apt"));
    Files.writeString(lower.resolve("var/cache/apt/pkgcache.bin"), "cache");
    Files.writeString(lower.resolve("removed"), "bye");
    Fixtures.setAllTimes(lower, Fixtures.T1);
    return lower;
  }

  /** What a RUN step does in the merged view. */
  private static void change(Path merged) throws IOException {
    Files.delete(merged.resolve("removed"));
    Files.writeString(merged.resolve("etc/hostname"), "upper"); // copy-up
    // Replace a directory: delete it with its contents, create it again, fill it.
    Files.delete(merged.resolve("etc/conf.d/a.conf"));
    Files.delete(merged.resolve("etc/conf.d/b.conf"));
    Files.delete(merged.resolve("etc/conf.d"));
    Files.createDirectory(merged.resolve("etc/conf.d"));
    Files.writeString(merged.resolve("etc/conf.d/new.conf"), "new");
    LayerApplier.deleteRecursively(merged.resolve("var/cache/apt"));
    Files.createDirectories(merged.resolve("opt/app"));
    Files.writeString(merged.resolve("opt/app/run"), "run");
    Posix.chmod(merged.resolve("opt/app/run"), 04755);
    Posix.lsetxattr(merged.resolve("opt/app/run"), "user.tag", new byte[] {9});
  }

  @Test
  void overlayUpper_becomesWhiteoutsAndOpaqueMarkers_andAppliesToTheMergedView() throws Exception {
    Path lower = lowerTree();
    Path base = Files.createDirectory(tmp.resolve("mount"));
    Map<String, String> mergedView;
    try (OverlayMount mount = OverlayMount.mount(base, List.of(lower))) {
      change(mount.merged());
      mergedView = TreeDescription.of(mount.merged());
    }
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    new LayerWriter(EXACT_TIMES).write(LayerSource.overlayUpper(base.resolve("upper")), layer);

    assertEquals(
        List.of(
            ".wh.removed",
            "etc/",
            "etc/conf.d/",
            "etc/conf.d/.wh..wh..opq",
            "etc/conf.d/new.conf",
            "etc/hostname",
            "opt/",
            "opt/app/",
            "opt/app/run",
            "var/",
            "var/cache/",
            "var/cache/.wh.apt"),
        names(layer.toByteArray()));

    new LayerApplier(ApplyOptions.tree(LAYER))
        .apply(new ByteArrayInputStream(layer.toByteArray()), lower);
    assertEquals(mergedView, TreeDescription.of(lower));
  }

  @Test
  void snapshots_asLowerDirs_showTheSameMergedView() throws Exception {
    Path lower = lowerTree();
    ByteArrayOutputStream baseLayer = new ByteArrayOutputStream();
    new LayerWriter(EXACT_TIMES).write(LayerSource.directory(lower), baseLayer);
    Path step = Files.createDirectory(tmp.resolve("step"));
    Map<String, String> expected;
    try (OverlayMount mount = OverlayMount.mount(step, List.of(lower))) {
      change(mount.merged());
      expected = TreeDescription.of(mount.merged());
    }
    ByteArrayOutputStream stepLayer = new ByteArrayOutputStream();
    new LayerWriter(EXACT_TIMES).write(LayerSource.overlayUpper(step.resolve("upper")), stepLayer);

    Path snap1 = Files.createDirectory(tmp.resolve("1"));
    Path snap2 = Files.createDirectory(tmp.resolve("2"));
    new LayerApplier(ApplyOptions.overlayLower(LAYER))
        .apply(new ByteArrayInputStream(baseLayer.toByteArray()), snap1);
    new LayerApplier(ApplyOptions.overlayLower(LAYER))
        .apply(new ByteArrayInputStream(stepLayer.toByteArray()), snap2);
    Path run = Files.createDirectory(tmp.resolve("run"));
    try (OverlayMount mount = OverlayMount.mount(run, List.of(snap2, snap1))) {
      Map<String, String> actual = TreeDescription.of(mount.merged());
      assertEquals(expected, actual);
    }
  }

  @Test
  void overlayUpper_layerIsReproducibleWithSourceDateEpoch() throws Exception {
    Instant epoch = Instant.parse("2020-01-01T00:00:00Z");
    LayerOptions options = LayerOptions.defaults().withSourceDateEpoch(Optional.of(epoch));
    List<WrittenLayer> layers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path lower = Files.createDirectories(tmp.resolve("r" + i).resolve("lower"));
      Files.writeString(lower.resolve("removed"), "bye");
      Files.createDirectories(lower.resolve("d/sub"));
      Path base = Files.createDirectory(tmp.resolve("r" + i).resolve("mount"));
      try (OverlayMount mount = OverlayMount.mount(base, List.of(lower))) {
        Files.delete(mount.merged().resolve("removed"));
        Files.delete(mount.merged().resolve("d/sub"));
        Files.delete(mount.merged().resolve("d"));
        Files.createDirectory(mount.merged().resolve("d"));
        Files.writeString(mount.merged().resolve("d/f"), "f");
      }
      layers.add(
          new LayerWriter(options)
              .write(LayerSource.overlayUpper(base.resolve("upper")), new ByteArrayOutputStream()));
      Thread.sleep(1100); // a second later: real mtimes differ, clamped ones must not
    }
    assertEquals(layers.get(0), layers.get(1));
  }

  private static List<String> names(byte[] gzip) throws IOException {
    List<String> names = new ArrayList<>();
    TarReader reader =
        new TarReader(Decompression.open(new ByteArrayInputStream(gzip)).stream(), "test");
    for (var e = reader.next(); e.isPresent(); e = reader.next()) {
      names.add(e.get().name());
    }
    return names;
  }
}
