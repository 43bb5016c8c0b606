package dev.hoist.builder.plan;

import java.util.Objects;

/** What a stage starts from. */
public sealed interface StageBase {
  /** {@code FROM scratch}: an empty filesystem and config. */
  record Scratch() implements StageBase {}

  /** An image, by its normalised reference (e.g. {@code docker.io/library/alpine:3.20}). */
  record Image(String reference) implements StageBase {
    public Image {
      Objects.requireNonNull(reference, "reference");
    }
  }

  /** The result of an earlier stage of the same Dockerfile. */
  record Stage(int index) implements StageBase {}

  /**
   * A named build context ({@code --build-context}), by its {@link ContextNames#key}: an image, or
   * a directory whose files become the stage's first layer.
   */
  record Context(String key) implements StageBase {
    public Context {
      Objects.requireNonNull(key, "key");
    }
  }
}
