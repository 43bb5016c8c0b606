package dev.hoist.builder.build;

import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import java.time.Instant;
import java.util.ArrayList;
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
  private Digest key;
  private boolean cmdSetInStage;

  StageState(ImageConfig base, List<Descriptor> baseLayers, Digest baseKey) {
    this.image = base.toBuilder();
    this.layers = new ArrayList<>(baseLayers);
    this.diffIds = new ArrayList<>(base.diffIds());
    this.key = Objects.requireNonNull(baseKey);
  }

  ImageConfig.Builder image() {
    return image;
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

  /** Records a step that made a layer, or none when it changed no file. */
  void addStep(
      Optional<Descriptor> layer, Optional<Digest> diffId, String createdBy, Instant created) {
    History h = History.of(created, createdBy, HistoryText.COMMENT, layer.isEmpty());
    if (layer.isPresent()) {
      layers.add(layer.get());
      diffIds.add(diffId.orElseThrow());
      image.addLayer(diffId.orElseThrow(), h);
    } else {
      image.addHistory(h);
    }
  }

  /** The working directory steps run in: WORKDIR, or {@code /}. */
  String workdir() {
    return config().workingDir().orElse("/");
  }
}
