package dev.hoist.builder.build;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Reference;
import java.time.Duration;
import java.util.List;

/**
 * What a build made: the image (config and manifest, both in the store), the names it was given,
 * how big its layers are and how long it took.
 */
public record BuildResult(
    ImageConfig config,
    Descriptor manifest,
    List<Descriptor> layers,
    List<Reference> tags,
    Duration took) {
  public BuildResult {
    layers = List.copyOf(layers);
    tags = List.copyOf(tags);
  }

  /** The image id, {@code sha256:…} of the config, as {@code docker build} prints it. */
  public Digest imageId() {
    return config.digest();
  }

  /** Bytes of the image's layers and config as stored (compressed). */
  public long size() {
    return config.size() + layers.stream().mapToLong(Descriptor::size).sum();
  }
}
