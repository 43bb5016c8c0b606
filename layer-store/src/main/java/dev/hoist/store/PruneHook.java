package dev.hoist.store;

import dev.hoist.image.Digest;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * Removes derived state that no live image needs, e.g. the unpacked snapshots of the layer package.
 * Prune calls it under the store lock after the blob sweep.
 */
@FunctionalInterface
public interface PruneHook {
  /**
   * What is live when prune runs.
   *
   * @param layers digests of every layer blob referenced from {@code index.json}
   * @param diffIds diff ids (uncompressed digests) of every layer of every referenced config
   * @param cutoff things newer than this may belong to work in progress and must be kept
   */
  record Live(Set<Digest> layers, Set<Digest> diffIds, Instant cutoff) {
    public Live {
      layers = Set.copyOf(layers);
      diffIds = Set.copyOf(diffIds);
    }
  }

  /** Removes what {@code live} does not need; returns what was removed. */
  PruneResult.Part prune(Live live) throws IOException;
}
