package dev.hoist.builder.plan;

import dev.hoist.image.Platform;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a build asks of the planner, as {@code docker build} options: {@code --build-arg}, {@code
 * --target}, {@code --platform}, and the platform of the machine that builds.
 */
public record BuildOptions(
    Map<String, String> buildArgs,
    Optional<String> target,
    Platform targetPlatform,
    Platform buildPlatform) {
  public BuildOptions {
    buildArgs = Map.copyOf(buildArgs);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetPlatform, "targetPlatform");
    Objects.requireNonNull(buildPlatform, "buildPlatform");
  }

  /**
   * The proxy build args given ({@code HTTP_PROXY}, {@code no_proxy}, ...): BuildKit hands them to
   * every RUN's environment without an ARG, and keeps them out of the cache key and the history.
   */
  public Map<String, String> proxyArgs() {
    Map<String, String> out = new java.util.TreeMap<>();
    buildArgs.forEach(
        (k, v) -> {
          if (PlatformArgs.PROXY.contains(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** No build args, the last stage as target, this machine's platform for both. */
  public static BuildOptions defaults() {
    Platform host = Platform.host();
    return new BuildOptions(Map.of(), Optional.empty(), host, host);
  }

  public BuildOptions withBuildArgs(Map<String, String> args) {
    return new BuildOptions(args, target, targetPlatform, buildPlatform);
  }

  public BuildOptions withTarget(String stage) {
    return new BuildOptions(buildArgs, Optional.of(stage), targetPlatform, buildPlatform);
  }

  public BuildOptions withTargetPlatform(Platform platform) {
    return new BuildOptions(buildArgs, target, platform, buildPlatform);
  }

  public BuildOptions withBuildPlatform(Platform platform) {
    return new BuildOptions(buildArgs, target, targetPlatform, platform);
  }
}
