package dev.hoist.builder.plan;

import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Platform;
import dev.hoist.runtime.RunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What BuildKit gives a stage before its first instruction: a PATH when its base has none (scratch
 * included, and an image whose Env lacks it), except on Windows, which sets its own; and for
 * scratch the working directory "/". The planner expands words with it and the engine writes it
 * into the image, so both see the same environment.
 */
public final class StageDefaults {
  private StageDefaults() {}

  /** The PATH a stage on {@code platform} gets when its base has none. */
  static Optional<String> path(Platform platform) {
    return platform.os().equals("windows") ? Optional.empty() : Optional.of(RunSpec.DEFAULT_PATH);
  }

  /** Adds the default PATH to a stage's environment that has none. */
  static void addPath(Map<String, String> env, Platform platform) {
    if (!env.containsKey("PATH")) {
      path(platform).ifPresent(p -> env.put("PATH", p));
    }
  }

  /** The config a stage starts from: its base's, with the defaults BuildKit adds. */
  public static ContainerConfig apply(ContainerConfig base, StageBase from, Platform platform) {
    ContainerConfig.Builder b = base.toBuilder();
    boolean hasPath =
        base.env().stream().anyMatch(kv -> kv.equals("PATH") || kv.startsWith("PATH="));
    Optional<String> path = path(platform);
    if (!hasPath && path.isPresent()) {
      List<String> env = new ArrayList<>(base.env());
      env.add("PATH=" + path.get());
      b.env(env);
    }
    if (from instanceof StageBase.Scratch) {
      b.workingDir(Optional.of("/"));
    }
    return b.build();
  }
}
