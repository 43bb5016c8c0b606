package dev.hoist.store;

import dev.hoist.image.Descriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * @param roots blobs that are live besides what {@code index.json} reaches, with everything they
 *     refer to (e.g. the layers the build cache names, when the cache is kept)
 */
public record PruneOptions(
    Duration grace, boolean cache, List<PruneHook> hooks, List<Descriptor> roots) {
  public PruneOptions {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("negative prune grace " + grace);
    }
    hooks = List.copyOf(hooks);
    roots = List.copyOf(roots);
  }

  /** No grace, cache kept, no hooks, no extra roots. */
  public static PruneOptions defaults() {
    return new PruneOptions(Duration.ZERO, false, List.of(), List.of());
  }

  public PruneOptions withCache(boolean v) {
    return new PruneOptions(grace, v, hooks, roots);
  }

  public PruneOptions withGrace(Duration v) {
    return new PruneOptions(v, cache, hooks, roots);
  }

  public PruneOptions withHook(PruneHook hook) {
    List<PruneHook> all = new ArrayList<>(hooks);
    all.add(Objects.requireNonNull(hook, "hook"));
    return new PruneOptions(grace, cache, all, roots);
  }

  /** Adds blobs to keep (and what they refer to) beside what index.json names. */
  public PruneOptions withRoots(Collection<Descriptor> more) {
    List<Descriptor> all = new ArrayList<>(roots);
    all.addAll(more);
    return new PruneOptions(grace, cache, hooks, all);
  }
}
