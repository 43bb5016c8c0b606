package dev.hoist.builder.build;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import java.util.List;
import java.util.Objects;

/**
 * What a built stage is: its config, its layers (all in the store) and the key of its last step.
 */
record StageImage(ImageConfig config, List<Descriptor> layers, Digest key) {
  StageImage {
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
    Objects.requireNonNull(key, "key");
  }
}
