package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChallengeTest {
  @Test
  void parse_readsDockerHubsBearerChallenge() {
    Challenge c =
        Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                    + "scope=\"repository:library/busybox:pull\"")
            .orElseThrow();
    assertTrue(c.isBearer());
    assertEquals(
        Map.of(
            "realm", "https://auth.docker.io/token",
            "service", "registry.docker.io",
            "scope", "repository:library/busybox:pull"),
        c.params());
  }

  @Test
  void parse_keepsCommasAndEscapedQuotesInsideQuotedValues() {
    Challenge c =
        Challenge.parse(
                "Bearer realm=\"https://r/t\", scope=\"repository:a:pull,push\","
                    + " error=\"say \\\"hi\\\"\"")
            .orElseThrow();
    assertEquals(Optional.of("repository:a:pull,push"), c.param("scope"));
    assertEquals(Optional.of("say \"hi\""), c.param("error"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Basic realm=\"Registry Realm\"|basic|Registry Realm",
        "basic realm=hoist-test|basic|hoist-test",
        "BEARER realm=\"https://ghcr.io/token\"|bearer|https://ghcr.io/token",
      })
  void parse_isCaseInsensitiveInTheScheme(String header, String scheme, String realm) {
    Challenge c = Challenge.parse(header).orElseThrow();
    assertEquals(scheme, c.scheme());
    assertEquals(Optional.of(realm), c.param("realm"));
  }

  @Test
  void parse_ofNothingIsEmpty() {
    assertEquals(Optional.empty(), Challenge.parse(null));
    assertEquals(Optional.empty(), Challenge.parse("  "));
  }
}
