package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store lock and leases between two JVMs, as two hoist commands on one store are. */
class CrossProcessTest {
  @TempDir Path dir;

  @Test
  void tag_fromTwoProcessesLosesNoName() throws Exception {
    try (Store store = Store.open(dir)) {
      TestImages.TestImage image = TestImages.put(store, 1, 1);
      store.tag(Reference.parse("base"), image.descriptor());
      Process child = StoreChild.start("tag", dir.toString(), "child", "15");
      // Start only once the child is about to tag, so that the two really contend.
      assertEquals(
          "ready",
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
              .readLine());
      for (int i = 0; i < 15; i++) {
        store.tag(Reference.parse("parent:" + i), image.descriptor());
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish");
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, child.exitValue(), output);
      assertEquals(31, store.indexEntries().size());
    }
  }

  @Test
  void prune_keepsBlobsOfALiveLeaseAndDropsTheLeaseOfADeadProcess() throws Exception {
    Digest childBlob = Digest.sha256("child".getBytes(StandardCharsets.UTF_8));
    try (Store store = Store.open(dir)) {
      Process child = StoreChild.start("lease", dir.toString());
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
        Files.setLastModifiedTime(
            store.blobPath(childBlob), FileTime.from(Instant.now().minusSeconds(3600)));
        Path leaseFile;
        try (var files = Files.list(dir.resolve(".hoist/leases"))) {
          leaseFile = files.findFirst().orElseThrow();
        }
        // The blob is older than the lease: a lease protects only what was written since.
        assertEquals(1, store.prune(PruneOptions.defaults()).blobs());

        store.putBytes("application/octet-stream", "child".getBytes(StandardCharsets.UTF_8));
        Files.writeString(
            leaseFile, Long.toString(Instant.now().minus(Duration.ofMinutes(30)).toEpochMilli()));
        Files.setLastModifiedTime(
            store.blobPath(childBlob), FileTime.from(Instant.now().minusSeconds(600)));
        store.close(); // this store's own lease must not protect anything
        try (Store fresh = Store.open(dir)) {
          assertEquals(0, fresh.prune(PruneOptions.defaults()).blobs(), "live lease ignored");
          assertTrue(fresh.contains(childBlob));
        }
      } finally {
        child.destroyForcibly().waitFor();
      }
      try (Store fresh = Store.open(dir)) {
        Files.setLastModifiedTime(
            fresh.blobPath(childBlob), FileTime.from(Instant.now().minusSeconds(600)));
        assertEquals(1, fresh.prune(PruneOptions.defaults()).blobs(), "dead lease still honoured");
        assertFalse(Files.isRegularFile(fresh.blobPath(childBlob)));
        try (var files = Files.list(dir.resolve(".hoist/leases"))) {
          assertEquals(0, files.count());
        }
      }
    }
  }

  @Test
  void killedWriter_leavesAStoreThatFsckPasses() throws Exception {
    Store.open(dir).close();
    Process child = StoreChild.start("churn", dir.toString());
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine());
      // Let it write for a while, then kill it without warning (SIGKILL), mid-write.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (countBlobs() < 60 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly().waitFor();
    }
    try (Store store = Store.open(dir)) {
      FsckReport report = store.fsck();
      assertTrue(report.ok(), report.problems().toString());
      assertTrue(report.blobs() > 0, "the child wrote nothing");
      for (var image : store.images()) {
        assertTrue(store.resolve(image.name().orElseThrow().toString()).manifest() != null);
      }
      // What the dead writer left unnamed is garbage once its lease is seen to be dead.
      store.prune(PruneOptions.defaults());
      assertTrue(store.fsck().ok());
      assertEquals(0, store.fsck().unreferenced(), "prune left the dead writer's blobs");
    }
  }

  private long countBlobs() throws java.io.IOException {
    try (var s = Files.list(dir.resolve("blobs/sha256"))) {
      return s.count();
    }
  }
}
