package dev.hoist.builder.instructions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A HEALTHCHECK as the image config stores it.
 *
 * @param test {@code ["NONE"]}, {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}
 */
public record HealthcheckSpec(
    List<String> test,
    Optional<Duration> interval,
    Optional<Duration> timeout,
    Optional<Duration> startPeriod,
    Optional<Duration> startInterval,
    Optional<Integer> retries) {
  public HealthcheckSpec {
    test = List.copyOf(test);
  }

  /** Whether this is {@code HEALTHCHECK NONE}, which disables the base image's check. */
  public boolean disabled() {
    return test.equals(List.of("NONE"));
  }
}
