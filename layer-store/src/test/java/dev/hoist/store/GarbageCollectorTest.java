package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path dir;

  /** Ages every blob, as if written long ago, so that only reachability and leases decide. */
  private static void ageAll(Store store) throws IOException {
    for (Digest d : store.blobs()) {
      Files.setLastModifiedTime(
          store.blobPath(d), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    }
  }

  private static Set<Digest> blobsOf(TestImage i) {
    Set<Digest> s = new HashSet<>();
    s.add(i.manifest().digest());
    s.add(i.id());
    i.layers().forEach(l -> s.add(l.digest()));
    return s;
  }

  @Test
  void prune_removesWhatNoNameReachesAndKeepsTheRest() throws IOException {
    Store writer = Store.open(dir);
    TestImage kept = TestImages.put(writer, 1, 2);
    TestImage dropped = TestImages.put(writer, 2, 2);
    writer.tag(Reference.parse("kept"), kept.descriptor());
    writer.tag(Reference.parse("dropped"), dropped.descriptor());
    writer.untag(Reference.parse("dropped"));
    writer.close();
    try (Store store = Store.open(dir)) {
      ageAll(store);
      PruneResult result = store.prune(PruneOptions.defaults());
      assertEquals(4, result.blobs());
      assertEquals(new HashSet<>(store.blobs()), blobsOf(kept));
      assertTrue(store.fsck().ok());
      assertEquals(0, store.prune(PruneOptions.defaults()).blobs());
    }
  }

  @Test
  void prune_keepsEveryManifestOfAnIndex() throws IOException {
    Store writer = Store.open(dir);
    TestImage a = TestImages.put(writer, 1, 1);
    TestImage b = TestImages.put(writer, 2, 1);
    Index index =
        Index.of(
            List.of(
                a.descriptor().withPlatform(Platform.of("linux", "amd64")),
                b.descriptor().withPlatform(Platform.of("linux", "arm64"))));
    Descriptor d = writer.putBytes(MediaTypes.OCI_INDEX, index.raw());
    writer.tag(Reference.parse("multi"), d);
    writer.close();
    try (Store store = Store.open(dir)) {
      ageAll(store);
      assertEquals(0, store.prune(PruneOptions.defaults()).blobs());
      assertEquals(7, store.blobs().size());
    }
  }

  @Test
  void prune_keepsUnreferencedBlobsWrittenDuringALiveLease() throws IOException {
    try (Store builder = Store.open(dir);
        Store pruner = Store.open(dir)) {
      TestImage old = TestImages.put(builder, 1, 1);
      ageAll(builder);
      try (Lease lease = builder.lease()) {
        TestImage fresh = TestImages.put(builder, 2, 1); // written after the lease began
        PruneResult r = pruner.prune(PruneOptions.defaults());
        assertEquals(3, r.blobs(), "only the blobs older than the lease go");
        assertEquals(new HashSet<>(builder.blobs()), blobsOf(fresh));
        assertFalse(builder.contains(old.id()));
      }
    }
  }

  @Test
  void prune_keepsAReusedBlobBecauseContainsRefreshesIt() throws IOException {
    Digest layer;
    try (Store first = Store.open(dir)) {
      layer = TestImages.put(first, 1, 1).layers().get(0).digest();
      ageAll(first);
    }
    try (Store builder = Store.open(dir);
        Store pruner = Store.open(dir)) {
      assertTrue(builder.contains(layer)); // a pull that finds the layer present
      pruner.prune(PruneOptions.defaults());
      assertTrue(Files.isRegularFile(builder.blobPath(layer)));
    }
  }

  @Test
  void prune_keepsBlobsYoungerThanTheGrace() throws IOException {
    try (Store writer = Store.open(dir)) {
      TestImages.put(writer, 1, 1);
    }
    try (Store store = Store.open(dir)) {
      assertEquals(
          0, store.prune(PruneOptions.defaults().withGrace(Duration.ofMinutes(5))).blobs());
      assertEquals(3, store.prune(PruneOptions.defaults()).blobs());
    }
  }

  @Test
  void prune_refusesToGuessWhenAManifestIsCorrupt() throws IOException {
    Store writer = Store.open(dir);
    TestImage image = TestImages.put(writer, 1, 1);
    writer.tag(Reference.parse("x"), image.descriptor());
    TestImages.put(writer, 2, 1);
    writer.close();
    try (Store store = Store.open(dir)) {
      ageAll(store);
      Path manifest = store.blobPath(image.manifest().digest());
      byte[] bytes = Files.readAllBytes(manifest);
      bytes[10] ^= 1;
      Files.write(manifest, bytes);
      int before = store.blobs().size();
      IOException e = assertThrows(IOException.class, () -> store.prune(PruneOptions.defaults()));
      assertTrue(e.getMessage().contains(image.manifest().digest().toString()), e.getMessage());
      assertEquals(before, store.blobs().size());
    }
  }

  @Test
  void prune_tellsHooksWhatIsLiveAndEmptiesTheCacheOnRequest() throws IOException {
    Store writer = Store.open(dir);
    TestImage image = TestImages.put(writer, 1, 2);
    writer.tag(Reference.parse("x"), image.descriptor());
    writer.close();
    try (Store store = Store.open(dir)) {
      Files.createDirectories(store.cacheDir().resolve("entry/sub"));
      Files.write(store.cacheDir().resolve("entry/sub/f"), new byte[10]);
      AtomicReference<PruneHook.Live> seen = new AtomicReference<>();
      PruneResult r =
          store.prune(
              PruneOptions.defaults()
                  .withCache(true)
                  .withHook(
                      live -> {
                        seen.set(live);
                        return new PruneResult.Part("snapshots", 2, 100);
                      }));
      assertEquals(
          new HashSet<>(image.layers().stream().map(Descriptor::digest).toList()),
          seen.get().layers());
      assertEquals(new HashSet<>(image.config().diffIds()), seen.get().diffIds());
      List<PruneResult.Part> parts = new ArrayList<>(r.parts());
      assertEquals(new PruneResult.Part("snapshots", 2, 100), parts.get(0));
      assertEquals(new PruneResult.Part("build cache entries", 1, 10), parts.get(1));
      try (var s = Files.list(store.cacheDir())) {
        assertEquals(0, s.count());
      }
    }
  }

  @Test
  void prune_keepsWhatAnExtraRootReaches() throws IOException {
    Store writer = Store.open(dir);
    TestImage cached = TestImages.put(writer, 1, 2);
    TestImage loose = TestImages.put(writer, 2, 1);
    writer.close();
    try (Store store = Store.open(dir)) {
      ageAll(store);
      Descriptor layerOnly = loose.layers().get(0);
      PruneResult r =
          store.prune(PruneOptions.defaults().withRoots(List.of(cached.descriptor(), layerOnly)));
      assertEquals(2, r.blobs(), "loose manifest and config go");
      Set<Digest> kept = blobsOf(cached);
      kept.add(layerOnly.digest());
      assertEquals(kept, new HashSet<>(store.blobs()));
    }
  }
}
