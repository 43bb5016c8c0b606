package dev.hoist.builder.build;

import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.plan.BuildPlan;
import dev.hoist.builder.plan.PlannedStage;
import dev.hoist.builder.plan.Step;
import dev.hoist.image.Platform;

/**
 * Refuses a plan with a RUN step for a platform this machine cannot execute. hoist has no emulation
 * yet: such a step would fail half-way with "exec format error", so the build stops before anything
 * is pulled or run. COPY, ADD and config steps need no execution, so a FROM scratch or COPY-only
 * build for another platform is fine.
 */
final class RunPlatforms {
  private RunPlatforms() {}

  static void check(BuildPlan plan, Platform host) throws BuildException {
    for (PlannedStage stage : plan.stages()) {
      if (runsOn(host, stage.platform())) {
        continue;
      }
      for (Step step : stage.steps()) {
        if (step.instruction() instanceof RunInstruction run) {
          throw new BuildException(
              run.source().location()
                  + ": RUN would have to execute "
                  + stage.platform()
                  + " programs on this "
                  + host
                  + " machine, and hoist has no emulation yet: build for "
                  + host
                  + ", or on a "
                  + stage.platform()
                  + " machine");
        }
      }
    }
  }

  /** Whether {@code host} executes {@code target}'s programs natively (amd64 runs 386 too). */
  static boolean runsOn(Platform host, Platform target) {
    Platform h = host.normalized();
    Platform t = target.normalized();
    if (!h.os().equals(t.os())) {
      return false;
    }
    return h.architecture().equals(t.architecture())
        || (h.architecture().equals("amd64") && t.architecture().equals("386"));
  }
}
