package dev.hoist.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step ended.
 *
 * @param exitCode the step's exit code; 128 + N when signal N ended it (137 for a kill)
 * @param timedOut whether the sandbox killed the step because its timeout passed
 * @param elapsed set-up, run and teardown time
 */
public record RunResult(int exitCode, boolean timedOut, Duration elapsed) {
  public RunResult {
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** True when the step exited 0 in time. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
