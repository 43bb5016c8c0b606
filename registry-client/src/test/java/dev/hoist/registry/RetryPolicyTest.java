package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy P =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(30));

  @RepeatedTest(20)
  void delay_growsExponentiallyWithJitterUpToTheCap() {
    for (int retry = 1; retry <= 8; retry++) {
      long cap = Math.min(100L << (retry - 1), 1000);
      long d = P.delay(retry).toMillis();
      assertTrue(d >= cap / 2 && d <= cap, "retry " + retry + ": " + d + " not in [cap/2, cap]");
    }
  }

  @Test
  void nextPause_stopsAfterTheLastAttemptAndBeyondTheBudget() {
    Instant now = Instant.now();
    assertTrue(Transport.nextPause(P, 4, now, Optional.empty()).isPresent());
    assertEquals(Optional.empty(), Transport.nextPause(P, 5, now, Optional.empty()));
    assertEquals(
        Optional.empty(), Transport.nextPause(P, 1, now, Optional.of(Duration.ofSeconds(31))));
    assertEquals(
        Optional.of(Duration.ofSeconds(2)),
        Transport.nextPause(P, 1, now, Optional.of(Duration.ofSeconds(2))));
  }
}
