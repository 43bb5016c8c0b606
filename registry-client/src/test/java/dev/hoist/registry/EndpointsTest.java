package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsTest {
  @ParameterizedTest
  @CsvSource({
    "docker.io, registry-1.docker.io",
    "index.docker.io, registry-1.docker.io",
    "ghcr.io, ghcr.io",
    "localhost:5000, localhost:5000",
  })
  void apiHost_sendsDockerHubToRegistry1(String registry, String host) {
    assertEquals(host, Endpoints.apiHost(registry));
  }

  @ParameterizedTest
  @CsvSource({
    "localhost:5000, true, true",
    "127.0.0.1:5000, true, true",
    "127.8.9.10, true, true",
    "localhost:5000, false, false",
    "ghcr.io, true, false",
    "reg.corp:5000, true, true",
    "reg.corp:6000, true, false",
    "plain.corp:1234, true, true",
    "128.0.0.1:5000, true, false",
  })
  void insecure_coversLoopbackAndTheNamedHosts(
      String registry, boolean loopback, boolean insecure) {
    assertEquals(
        insecure, Endpoints.insecure(registry, Set.of("reg.corp:5000", "plain.corp"), loopback));
  }
}
