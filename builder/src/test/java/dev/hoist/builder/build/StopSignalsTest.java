package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STOPSIGNAL values moby's signal.ParseSignal accepts, and ones it refuses with its message. */
class StopSignalsTest {
  @ParameterizedTest
  @ValueSource(strings = {"SIGTERM", "TERM", "sigkill", "9", "SIGRTMIN+3", "RTMAX-1", "SIGRTMAX"})
  void check_acceptsWhatDockerAccepts(String value) {
    assertDoesNotThrow(() -> StopSignals.check(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NOTASIGNAL", "0", "SIG", "", "-1", "SIGRTMIN+16", "99999999999"})
  void check_refusesTheRest(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StopSignals.check(value));
    assertEquals("Invalid signal: " + value, e.getMessage());
  }
}
