package dev.hoist.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.store.PruneHook;
import dev.hoist.store.Store;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {
  @TempDir Path tmp;

  private record Stored(Descriptor blob, Digest diffId) {}

  private Stored layerOf(Store store, Path tree) throws IOException {
    LayerFile file =
        new LayerWriter(LayerOptions.defaults())
            .write(
                LayerSource.directory(tree),
                store.tempDir().resolve(java.util.UUID.randomUUID() + ".layer"));
    Descriptor blob =
        store.putTempFile(file.path(), file.layer().mediaType(), file.layer().digest());
    return new Stored(blob, file.layer().diffId());
  }

  @Test
  void get_unpacksOnceAndReusesTheSameDirectory() throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      Path tree = Files.createDirectories(tmp.resolve("tree/etc"));
      Files.writeString(tree.resolve("hostname"), "box\n");
      Stored layer = layerOf(store, tmp.resolve("tree"));
      Snapshots snapshots = new Snapshots(store);

      Path first = snapshots.get(layer.blob(), layer.diffId());
      Path second = snapshots.get(layer.blob(), layer.diffId());

      assertEquals(first, second);
      assertEquals(snapshots.dir().resolve(Snapshots.name(layer.diffId())), first);
      assertEquals("box\n", Files.readString(first.resolve("etc/hostname")));
      try (var left = Files.list(snapshots.dir())) {
        assertEquals(1, left.count(), "no temp dir may be left behind");
      }
    }
  }

  @Test
  void get_refusesALayerWhoseDiffIdIsNotTheOneTheConfigNames() throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      Path tree = Files.createDirectories(tmp.resolve("tree"));
      Files.writeString(tree.resolve("a"), "a");
      Stored layer = layerOf(store, tree);
      Digest wrong = Digest.sha256(new byte[] {1});
      Snapshots snapshots = new Snapshots(store);

      IOException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IOException.class, () -> snapshots.get(layer.blob(), wrong));

      assertTrue(e.getMessage().contains(layer.blob().digest().toString()), e.getMessage());
      assertFalse(Files.exists(snapshots.dir().resolve(Snapshots.name(wrong))));
      try (var left = Files.list(snapshots.dir())) {
        assertEquals(0, left.count(), "a failed unpack leaves nothing behind");
      }
    }
  }

  @Test
  void prune_removesSnapshotsNoImageUsesAndKeepsTheRest() throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      Path a = Files.createDirectories(tmp.resolve("a"));
      Files.writeString(a.resolve("a"), "a");
      Path b = Files.createDirectories(tmp.resolve("b"));
      Files.writeString(b.resolve("b"), "b");
      Stored la = layerOf(store, a);
      Stored lb = layerOf(store, b);
      Snapshots snapshots = new Snapshots(store);
      Path sa = snapshots.get(la.blob(), la.diffId());
      Path sb = snapshots.get(lb.blob(), lb.diffId());

      var result =
          snapshots.prune(
              new PruneHook.Live(
                  Set.of(la.blob().digest()), Set.of(la.diffId()), Instant.now().plusSeconds(1)));

      assertEquals(1, result.count());
      assertTrue(Files.isDirectory(sa));
      assertFalse(Files.exists(sb));
    }
  }

  @Test
  void getAll_givesLowerDirsThatARealOverlayMountMerges() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Posix.isRoot(), "overlay mounts need root");
    try (Store store = Store.open(tmp.resolve("store"))) {
      Path base = Files.createDirectories(tmp.resolve("base/dir"));
      Files.writeString(base.resolve("keep"), "keep");
      Files.writeString(base.resolve("gone"), "gone");
      Stored bottom = layerOf(store, tmp.resolve("base"));
      // The second layer deletes dir/gone: a whiteout entry, as docker writes it.
      Path top = Files.createDirectories(tmp.resolve("top/dir"));
      Files.createFile(top.resolve(".wh.gone"));
      Stored upper = layerOf(store, tmp.resolve("top"));
      Snapshots snapshots = new Snapshots(store);
      List<Path> lowers =
          snapshots.getAll(
              List.of(bottom.blob(), upper.blob()), List.of(bottom.diffId(), upper.diffId()));

      Path merged = Files.createDirectories(tmp.resolve("merged"));
      String options = "lowerdir=" + lowers.get(1) + ":" + lowers.get(0);
      Process mount =
          new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", options, merged.toString())
              .inheritIO()
              .start();
      assertEquals(0, mount.waitFor());
      try {
        assertEquals("keep", Files.readString(merged.resolve("dir/keep")));
        assertFalse(Files.exists(merged.resolve("dir/gone")), "the whiteout hides dir/gone");
      } finally {
        new ProcessBuilder("umount", merged.toString()).inheritIO().start().waitFor();
      }
    }
  }
}
