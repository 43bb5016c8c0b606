package dev.hoist.builder.build;

import dev.hoist.builder.context.GoPaths;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stage while it is being built: the image so far (config, layers, history) and the cache key of
 * its last step. Each step changes it; the finished state is the stage's image.
 */
final class StageState {
  private final ImageConfig.Builder image;
  private final List<Descriptor> layers;
  private final List<Digest> diffIds;
  private final List<Step> steps = new ArrayList<>();
  private Digest key;
  private boolean cmdSetInStage;

  /** A step of this stage, kept until {@link #image} stamps the stage's time on its history. */
  private record Step(Optional<Digest> diffId, String createdBy, Instant created) {}

  StageState(ImageConfig base, List<Descriptor> baseLayers, Digest baseKey) {
    this.image = base.toBuilder();
    this.layers = new ArrayList<>(baseLayers);
    this.diffIds = new ArrayList<>(base.diffIds());
    this.key = Objects.requireNonNull(baseKey);
  }

  /**
   * The finished stage's image. As BuildKit does, the image's {@code created} and every history
   * entry this stage added carry one time: the newest of the layers the stage made or took from the
   * cache (now for a stage that made none), so a rebuild that hits the cache for every layer gives
   * the same image id. {@code fixed} (SOURCE_DATE_EPOCH) overrides it.
   */
  ImageConfig image(Optional<Instant> fixed, Instant now) {
    Instant time =
        fixed.orElseGet(
            () ->
                steps.stream()
                    .filter(s -> s.diffId().isPresent())
                    .map(Step::created)
                    .max(Comparator.naturalOrder())
                    .orElse(now));
    for (Step s : steps) {
      History h = History.of(time, s.createdBy(), HistoryText.COMMENT, s.diffId().isEmpty());
      if (s.diffId().isPresent()) {
        image.addLayer(s.diffId().get(), h);
      } else {
        image.addHistory(h);
      }
    }
    steps.clear();
    return image.created(Optional.of(time)).build();
  }

  ContainerConfig config() {
    return image.config();
  }

  void config(ContainerConfig c) {
    image.config(c);
  }

  void author(String author) {
    image.author(Optional.of(author));
  }

  List<Descriptor> layers() {
    return List.copyOf(layers);
  }

  /** The diff ids of the layers so far, in the order of {@link #layers()}. */
  List<Digest> diffIds() {
    return List.copyOf(diffIds);
  }

  Digest key() {
    return key;
  }

  void key(Digest k) {
    key = Objects.requireNonNull(k);
  }

  boolean cmdSetInStage() {
    return cmdSetInStage;
  }

  void cmdSetInStage(boolean v) {
    cmdSetInStage = v;
  }

  /**
   * Records a step that made a layer, or none when it changed no file; {@code created} is when its
   * layer was made (a cache hit's original time).
   */
  void addStep(
      Optional<Descriptor> layer, Optional<Digest> diffId, String createdBy, Instant created) {
    if (layer.isPresent()) {
      layers.add(layer.get());
      diffIds.add(diffId.orElseThrow());
    }
    steps.add(new Step(layer.isPresent() ? diffId : Optional.empty(), createdBy, created));
  }

  /**
   * The working directory steps run in: WORKDIR, or {@code /}; cleaned, since the config keeps it
   * as written ({@code /x/}, {@code /a/b/..}) while a step runs in the directory it names.
   */
  String workdir() {
    return GoPaths.clean(config().workingDir().filter(w -> !w.isEmpty()).orElse("/"));
  }
}
