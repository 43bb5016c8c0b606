package dev.hoist.image;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Docker's HEALTHCHECK: the test ({@code ["NONE"]}, {@code ["CMD", …]} or {@code ["CMD-SHELL",
 * cmd]}) and its timings; an empty duration means the default.
 */
public record Healthcheck(
    List<String> test,
    Optional<Duration> interval,
    Optional<Duration> timeout,
    Optional<Duration> startPeriod,
    Optional<Duration> startInterval,
    Optional<Integer> retries) {
  public Healthcheck {
    test = List.copyOf(test);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    Objects.requireNonNull(startInterval, "startInterval");
    Objects.requireNonNull(retries, "retries");
  }
}
