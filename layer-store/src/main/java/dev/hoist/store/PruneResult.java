package dev.hoist.store;

import java.util.List;

/** What a prune removed: the blobs, and one part per hook (and the cache). */
public record PruneResult(int blobs, long blobBytes, List<Part> parts) {
  public PruneResult {
    parts = List.copyOf(parts);
  }

  /** Something else prune removed, such as snapshots or the build cache. */
  public record Part(String what, int count, long bytes) {}

  public long totalBytes() {
    return blobBytes + parts.stream().mapToLong(Part::bytes).sum();
  }
}
