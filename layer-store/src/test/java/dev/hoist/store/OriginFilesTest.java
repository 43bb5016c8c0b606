package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.BlobOrigins.Origin;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob origins kept by the store under {@code .hoist/origins}. */
class OriginFilesTest {
  @TempDir Path dir;

  private static final Origin HUB = new Origin("docker.io", "library/busybox");
  private static final Origin LOCAL = new Origin("127.0.0.1:5000", "team/app");

  private Descriptor blob(Store store, String text) throws IOException {
    return store.putBytes(MediaTypes.OCI_LAYER, text.getBytes(StandardCharsets.UTF_8));
  }

  private Path originDir(Store store, Digest d) {
    return store.root().resolve(".hoist/origins/sha256/" + d.hex());
  }

  @Test
  void origins_areNewestFirst_andRecordingOneAgainMakesItNewest() throws IOException {
    try (Store store = Store.open(dir.resolve("root"))) {
      Digest d = blob(store, "layer").digest();
      assertEquals(List.of(), store.origins(d));
      store.addOrigin(d, HUB);
      store.addOrigin(d, LOCAL);
      Path hub = originDir(store, d).resolve("docker.io%2Flibrary%2Fbusybox");
      Files.setLastModifiedTime(hub, FileTime.from(Instant.now().minusSeconds(60)));
      assertEquals(List.of(LOCAL, HUB), store.origins(d));

      Path local = originDir(store, d).resolve("127.0.0.1%3A5000%2Fteam%2Fapp");
      Files.setLastModifiedTime(local, FileTime.from(Instant.now().minusSeconds(120)));
      store.addOrigin(d, HUB);
      assertEquals(List.of(HUB, LOCAL), store.origins(d));
    }
  }

  @Test
  void origins_ignoreFilesThatAreNotOrigins_andKeepAtMostFive() throws IOException {
    try (Store store = Store.open(dir.resolve("root"))) {
      Digest d = blob(store, "layer").digest();
      for (int i = 0; i < 7; i++) {
        store.addOrigin(d, new Origin("r.example", "repo" + i));
      }
      Files.writeString(originDir(store, d).resolve("no-slash-here"), "");
      Files.writeString(originDir(store, d).resolve("trailing%2F"), "");
      List<Origin> origins = store.origins(d);
      assertEquals(OriginFiles.MAX_ORIGINS, origins.size());
      assertTrue(origins.stream().allMatch(o -> o.registry().equals("r.example")), "" + origins);
    }
  }

  @Test
  void concurrentRecords_ofTheSameBlob_loseNone() throws Exception {
    try (Store store = Store.open(dir.resolve("root"))) {
      Digest d = blob(store, "layer").digest();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Origin o = new Origin("r.example", "repo" + i);
        done.add(
            pool.submit(
                () -> {
                  store.addOrigin(d, o);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertEquals(4, store.origins(d).size());
    }
  }

  @Test
  void delete_andPrune_forgetTheOriginsOfRemovedBlobs_andLeaveOthersAndStrangersAlone()
      throws IOException {
    try (Store store = Store.open(dir.resolve("root"))) {
      Digest deleted = blob(store, "deleted").digest();
      Digest pruned = blob(store, "pruned").digest();
      Descriptor kept = blob(store, "kept");
      for (Digest d : List.of(deleted, pruned, kept.digest())) {
        store.addOrigin(d, HUB);
      }
      // Older than this store's lease, so that prune may take it.
      Files.setLastModifiedTime(
          store.blobPath(pruned), FileTime.from(Instant.now().minusSeconds(3600)));
      // A name under origins/ that is no digest, and a symbolic link out of the store to a
      // directory named like a missing sha512 blob: prune touches neither, nor what is behind.
      Path outside = Files.createDirectories(dir.resolve("outside/" + "0".repeat(128)));
      Files.writeString(outside.resolve("precious"), "x");
      Path origins = store.root().resolve(".hoist/origins");
      Files.createDirectories(origins.resolve("sha256/not-a-digest"));
      Files.createSymbolicLink(origins.resolve("sha512"), dir.resolve("outside"));

      assertTrue(store.delete(deleted));
      assertFalse(Files.exists(originDir(store, deleted)));

      store.prune(PruneOptions.defaults().withRoots(List.of(kept)));
      assertFalse(store.contains(pruned));
      assertEquals(List.of(), store.origins(pruned));
      assertFalse(Files.exists(originDir(store, pruned)));
      assertEquals(List.of(HUB), store.origins(kept.digest()));
      assertTrue(Files.isDirectory(origins.resolve("sha256/not-a-digest")));
      assertTrue(Files.exists(outside.resolve("precious")));
    }
  }
}
