package dev.hoist.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How transient failures are retried: exponential backoff from {@code initialDelay}, capped at
 * {@code maxDelay}, with full jitter, for at most {@code maxAttempts} attempts and never beyond
 * {@code totalBudget} from the first attempt. A {@code Retry-After} longer than what the budget has
 * left ends the retries at once.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, Duration maxDelay, Duration totalBudget) {
  /** Five attempts from 200 ms, at most 10 s apart, within two minutes. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofMinutes(2));

  /** One attempt only. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(totalBudget, "totalBudget");
  }

  /** The pause before retry number {@code retry} (1 for the first retry), with jitter. */
  public Duration delay(int retry) {
    long base = initialDelay.toMillis() << Math.min(retry - 1, 20);
    long capped = Math.min(Math.max(base, 0), maxDelay.toMillis());
    if (capped <= 0) {
      return Duration.ZERO;
    }
    // Half fixed, half random: spreads clients apart without ever retrying at once.
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
