package dev.hoist.builder.plan;

import dev.hoist.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stage the build needs.
 *
 * @param index its position in the Dockerfile, from 0
 * @param name its {@code AS} name, lower case
 * @param base what it starts from
 * @param platform the platform it builds for ({@code FROM --platform}, else the target platform)
 * @param steps its instructions in order, ONBUILD triggers of its base first
 * @param dependsOn indexes of the stages that must be built before it (its base stage, {@code COPY
 *     --from} and {@code RUN --mount=from=} stages)
 * @param images other images it reads, by normalised reference ({@code COPY --from=image})
 * @param finalEnv the ENV at the end of the stage
 */
public record PlannedStage(
    int index,
    Optional<String> name,
    StageBase base,
    Platform platform,
    List<Step> steps,
    Set<Integer> dependsOn,
    Set<String> images,
    Map<String, String> finalEnv) {
  public PlannedStage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(platform, "platform");
    steps = List.copyOf(steps);
    dependsOn = Set.copyOf(dependsOn);
    images = Set.copyOf(images);
    finalEnv = Map.copyOf(finalEnv);
  }

  public String displayName() {
    return name.orElse(Integer.toString(index));
  }
}
