package dev.hoist.builder.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContextNamesTest {
  @ParameterizedTest
  @CsvSource({
    "alpine, alpine",
    "alpine:latest, alpine",
    "docker.io/library/alpine:latest, alpine",
    "docker.io/library/alpine:3.19, alpine:3.19",
    "alpine:3.19, alpine:3.19",
    "base, base",
    "ghcr.io/acme/app:latest, ghcr.io/acme/app",
    "127.0.0.1:5000/busybox, 127.0.0.1:5000/busybox",
  })
  void key_isTheShortNameWithoutLatest_asBuildxAndBuildKitKeyIt(String name, String key) {
    assertEquals(key, ContextNames.key(name));
    assertEquals(Optional.of(key), ContextNames.lookupKey(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"scratch", "SCRATCH", "context", "Context"})
  void scratchAndContext_areNeverLookedUp(String name) {
    assertTrue(ContextNames.reserved(name));
    assertEquals(Optional.empty(), ContextNames.lookupKey(name));
  }

  @Test
  void aNameThatIsNoReference_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> ContextNames.key("Base"));
    assertEquals(Optional.empty(), ContextNames.lookupKey("Base"));
  }
}
