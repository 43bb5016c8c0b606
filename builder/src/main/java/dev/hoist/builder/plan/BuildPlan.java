package dev.hoist.builder.plan;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What to build: the stages the target needs, dependencies before dependents, and which of them may
 * run at the same time.
 *
 * @param stages the needed stages in a valid build order (each after every stage it depends on);
 *     the last one is the target
 * @param parallelGroups the same stages in waves: every stage of a wave depends only on stages of
 *     earlier waves, so a wave's stages can be built in parallel
 * @param globalArgs the values of the ARGs declared before the first FROM
 * @param warnings unused build args, undefined variables and parser warnings
 */
public record BuildPlan(
    String fileName,
    List<PlannedStage> stages,
    List<List<Integer>> parallelGroups,
    Map<String, String> globalArgs,
    List<PlanWarning> warnings) {
  public BuildPlan {
    Objects.requireNonNull(fileName, "fileName");
    stages = List.copyOf(stages);
    parallelGroups = parallelGroups.stream().map(List::copyOf).toList();
    globalArgs = Map.copyOf(globalArgs);
    warnings = List.copyOf(warnings);
  }

  /** The stage the build produces. */
  public PlannedStage target() {
    return stages.get(stages.size() - 1);
  }

  /** The needed stage with Dockerfile index {@code index}. */
  public PlannedStage stage(int index) {
    return stages.stream()
        .filter(s -> s.index() == index)
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("stage " + index + " is not in the plan"));
  }
}
