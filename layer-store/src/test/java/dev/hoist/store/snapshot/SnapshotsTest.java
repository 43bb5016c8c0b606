package dev.hoist.store.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import dev.hoist.store.PruneHook;
import dev.hoist.store.PruneOptions;
import dev.hoist.store.PruneResult;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
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

  /** A layer whose tar has a "./" entry dated 2001, as many images' layers have. */
  private Stored layerDatingItsRootIn2001(Store store) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry root = new TarArchiveEntry("./");
      root.setModTime(YEAR_2001.toMillis());
      tar.putArchiveEntry(root);
      tar.closeArchiveEntry();
      byte[] content = "a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("./a");
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    Digest digest = Digest.sha256(bytes.toByteArray());
    Path temp = store.newTempFile(".layer");
    Files.write(temp, bytes.toByteArray());
    return new Stored(store.putTempFile(temp, MediaTypes.OCI_LAYER, digest), digest);
  }

  private static final FileTime YEAR_2001 = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));

  private static PruneResult pruneSnapshots(Store store) throws IOException {
    return store.prune(PruneOptions.defaults().withHook(new Snapshots(store)));
  }

  private static long entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var list = Files.list(dir)) {
      return list.count();
    }
  }

  @Test
  void prune_keepsAFreshUnpackOfALayerThatDatesItsRootYearsBack() throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      Stored layer = layerDatingItsRootIn2001(store);
      Path snapshot = new Snapshots(store).get(layer.blob(), layer.diffId());

      // No image names the layer, but this store's lease lives: a build may be about to mount it.
      pruneSnapshots(store);

      assertTrue(Files.isDirectory(snapshot), "pruned while the store that unpacked it runs");
      assertEquals("a", Files.readString(snapshot.resolve("a")));
    }
    try (Store later = Store.open(tmp.resolve("store"))) {
      assertEquals(1, pruneSnapshots(later).parts().get(0).count(), "no lease: now garbage");
      assertEquals(0, entries(later.snapshotsDir()));
      assertEquals(0, entries(tmp.resolve("store/.hoist/trash")), "prune empties its trash");
    }
  }

  @Test
  void prune_keepsAnOldSnapshotThatAStoreReusedUnderItsLease() throws IOException {
    Path root = tmp.resolve("store");
    Stored layer;
    Path snapshot;
    try (Store first = Store.open(root)) {
      Path tree = Files.createDirectories(tmp.resolve("tree"));
      Files.writeString(tree.resolve("a"), "a");
      layer = layerOf(first, tree);
      snapshot = new Snapshots(first).get(layer.blob(), layer.diffId());
    }
    Files.setLastModifiedTime(snapshot, YEAR_2001); // unpacked by a build long gone
    try (Store build = Store.open(root)) {
      assertEquals(snapshot, new Snapshots(build).get(layer.blob(), layer.diffId()));

      try (Store pruner = Store.open(root)) {
        pruneSnapshots(pruner);
      }

      assertTrue(Files.isDirectory(snapshot), "pruned from under the build that reused it");
    }
  }

  @Test
  void prune_removesAnUnpackWhoseProcessDiedAndKeepsOneInProgress() throws Exception {
    try (Store store = Store.open(tmp.resolve("store"))) {
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Path dead = store.snapshotsDir().resolve(".tmp-" + gone.pid() + "-1-1");
      Path running = store.snapshotsDir().resolve(".tmp-" + UniqueNames.next());
      for (Path p : List.of(dead, running)) {
        Files.createDirectories(p.resolve("etc"));
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(60)));
      }

      pruneSnapshots(store);

      assertFalse(Files.exists(dead), "left by a process that died");
      assertTrue(Files.isDirectory(running), "an unpack of a live process, whatever its time");
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
