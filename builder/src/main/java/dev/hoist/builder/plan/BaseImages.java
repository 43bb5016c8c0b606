package dev.hoist.builder.plan;

import dev.hoist.image.Platform;
import java.util.List;
import java.util.Optional;

/**
 * What the planner may learn about a base image before it plans: its environment (which variable
 * expansion sees, as in Docker) and its ONBUILD triggers (which run first in a stage built on it).
 * The executor implements this over the store and the registry; {@link #NONE} knows nothing.
 */
@FunctionalInterface
public interface BaseImages {
  /** The config of {@code reference} (normalised, e.g. {@code docker.io/library/alpine:3.20}). */
  Optional<Config> lookup(String reference, Platform platform);

  /**
   * The named build context ({@code --build-context}) stored under {@code key} (a {@link
   * ContextNames#key}), when the build has one: its image config, or none for a directory.
   */
  default Optional<ContextConfig> namedContext(String key, Platform platform) {
    return Optional.empty();
  }

  /** A named build context as the planner sees it: the config of its image, if it is one. */
  record ContextConfig(Optional<Config> config) {}

  /** Knows no image: expansion sees only the Dockerfile's own ARG and ENV. */
  BaseImages NONE = (reference, platform) -> Optional.empty();

  /**
   * @param env {@code KEY=VALUE} entries of the image config
   * @param onBuild ONBUILD trigger lines of the image config, e.g. {@code COPY . /app}
   */
  record Config(List<String> env, List<String> onBuild) {
    public Config {
      env = List.copyOf(env);
      onBuild = List.copyOf(onBuild);
    }
  }
}
