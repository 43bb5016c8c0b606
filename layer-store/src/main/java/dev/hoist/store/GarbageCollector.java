package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.MediaTypes;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes blobs that nothing in {@code index.json} reaches (index → manifests → config and layers).
 *
 * <p>Concurrent builds are safe by a simple lease rule rather than by reference counting: a build
 * writes its blobs first and names its image last, and {@link Store#tag} checks under the store
 * lock that every blob of the image is present. Every store that writes (or learns through {@link
 * Store#contains} that it can reuse) a blob holds a {@link Lease}, and every such write or reuse
 * sets the blob's modification time to now. Prune runs under the store lock and deletes an
 * unreachable blob only when its modification time is older than the start of the earliest live
 * lease (less a second for coarse file timestamps) and older than {@link PruneOptions#grace()}. So
 * a blob a running build wrote or reused survives until the build has named it (then it is
 * reachable) or has ended (then it is garbage); a build that crashed leaves a lease file whose lock
 * died with it, which prune deletes. The choice trades exact reference counts for a rule with no
 * state to get wrong: at worst, garbage lives until the next prune.
 *
 * <p>If any manifest, index or config reachable from {@code index.json} cannot be read, prune stops
 * without deleting anything: it cannot know what that image needs.
 */
final class GarbageCollector {
  /** Slack for file timestamps that lag the wall clock (the kernel's coarse clock). */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

  private final Store store;

  GarbageCollector(Store store) {
    this.store = store;
  }

  PruneResult prune(PruneOptions options) throws IOException {
    PruneResult result = sweep(options);
    emptyTrash();
    return result;
  }

  private PruneResult sweep(PruneOptions options) throws IOException {
    try (StoreLock.Held held = store.lock().acquire()) {
      Set<Digest> live = new HashSet<>();
      Set<Digest> layers = new HashSet<>();
      Set<Digest> diffIds = new HashSet<>();
      List<String> unreadable = new ArrayList<>();
      ReferenceWalker walker =
          new ReferenceWalker(
              store,
              new ReferenceWalker.Visitor() {
                @Override
                public void present(Descriptor d) {
                  live.add(d.digest());
                  if (MediaTypes.isLayer(d.mediaType())) {
                    layers.add(d.digest());
                  }
                }

                @Override
                public void missing(Descriptor d, String via) {
                  live.add(d.digest());
                }

                @Override
                public void invalid(Descriptor d, String via, String why) {
                  live.add(d.digest());
                  unreadable.add(d.digest() + " (" + via + "): " + why);
                }

                @Override
                public void config(Descriptor d, ImageConfig config) {
                  diffIds.addAll(config.diffIds());
                }
              });
      for (Descriptor entry : store.names().entries()) {
        walker.walk(entry, "index.json");
      }
      for (Descriptor root : options.roots()) {
        walker.walk(root, "a prune root");
      }
      if (!unreadable.isEmpty()) {
        throw new IOException(
            "not pruning: blob "
                + unreadable.get(0)
                + "; without it prune cannot tell what the image needs. Run 'hoist fsck', then"
                + " 'hoist rmi' the broken image");
      }
      Instant cutoff = Instant.now().minus(options.grace());
      Optional<Instant> lease = store.leases().earliestLive();
      if (lease.isPresent() && lease.get().minus(CLOCK_SLACK).isBefore(cutoff)) {
        cutoff = lease.get().minus(CLOCK_SLACK);
      }
      int removed = 0;
      long bytes = 0;
      for (Digest d : store.blobs()) {
        if (live.contains(d)) {
          continue;
        }
        Path p = store.blobPath(d);
        try {
          if (!Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            continue;
          }
          long size = Files.size(p);
          if (store.delete(d)) {
            removed++;
            bytes += size;
          }
        } catch (NoSuchFileException e) {
          // gone meanwhile
        }
      }
      // Origins of blobs deleted above, or left behind by a crash between a delete and its forget.
      store.originFiles().forgetMissing();
      List<PruneResult.Part> parts = new ArrayList<>();
      PruneHook.Live state = new PruneHook.Live(layers, diffIds, cutoff);
      for (PruneHook hook : options.hooks()) {
        parts.add(hook.prune(state));
      }
      if (options.cache()) {
        parts.add(emptyCache());
      }
      return new PruneResult(removed, bytes, parts);
    }
  }

  /**
   * Deletes what hooks took away under the lock (see {@link Store#discard}), and what a prune that
   * was killed while deleting left there. Nothing else uses the trash, so this needs no lock; two
   * prunes emptying it at once each delete what the other has not.
   */
  private void emptyTrash() throws IOException {
    Path trash = store.trashDir();
    if (!Files.isDirectory(trash)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(trash)) {
      for (Path p : entries) {
        FileTrees.deleteRecursively(p);
      }
    }
  }

  /**
   * Empties the build cache: the step entries, and the cache mount directories no running step
   * holds (see {@link CacheMounts}). Builds may write new entries meanwhile; those stay.
   */
  private PruneResult.Part emptyCache() throws IOException {
    Path cache = store.cacheDir();
    long count = 0;
    long bytes = 0;
    if (!Files.isDirectory(cache)) {
      return new PruneResult.Part("build cache entries", 0, 0);
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cache)) {
      for (Path p : entries) {
        if (CacheMounts.isMountsDir(p)) {
          long[] mounts = CacheMounts.deleteUnused(cache);
          count += mounts[0];
          bytes += mounts[1];
          continue;
        }
        long size = FileTrees.size(p);
        try {
          FileTrees.deleteRecursively(p);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
          continue; // a build wrote an entry meanwhile: it is newer than this prune
        }
        bytes += size;
        count++;
      }
    }
    return new PruneResult.Part("build cache entries", (int) count, bytes);
  }
}
