package dev.hoist.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Store#prune} removes besides unreferenced blobs.
 *
 * @param grace unreferenced blobs younger than this are kept even without a live lease (for writers
 *     that do not take one, such as another tool writing into the layout)
 * @param cache also empty the build cache directory
 * @param hooks called under the store lock with what is live, to remove what they manage (snapshots
 *     of layers no image uses)
 */
public record PruneOptions(Duration grace, boolean cache, List<PruneHook> hooks) {
  public PruneOptions {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("negative prune grace " + grace);
    }
    hooks = List.copyOf(hooks);
  }

  /** No grace, cache kept, no hooks. */
  public static PruneOptions defaults() {
    return new PruneOptions(Duration.ZERO, false, List.of());
  }

  public PruneOptions withCache(boolean v) {
    return new PruneOptions(grace, v, hooks);
  }

  public PruneOptions withGrace(Duration v) {
    return new PruneOptions(v, cache, hooks);
  }

  public PruneOptions withHook(PruneHook hook) {
    List<PruneHook> all = new java.util.ArrayList<>(hooks);
    all.add(Objects.requireNonNull(hook, "hook"));
    return new PruneOptions(grace, cache, all);
  }
}
