package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** EXPOSE words against the ExposedPorts keys Docker 20.10's BuildKit wrote for them here. */
class ExposedPortsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "80; 80/tcp",
        "53/udp; 53/udp",
        "9000/TCP; 9000/tcp",
        "8000-8002; 8000/tcp 8001/tcp 8002/tcp",
        "7000-7001/udp; 7000/udp 7001/udp",
        "8080:80; 80/tcp",
        "127.0.0.1:8080:80/udp; 80/udp",
        "80/; 80/tcp",
        "132/sctp; 132/sctp",
      })
  void of_givesBuildKitsKeys(String spec, String keys) {
    assertEquals(List.of(keys.split(" ")), ExposedPorts.of(spec));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "http", "80/xyz", "99999", "9-1", "80-", "-80"})
  void of_refusesWhatIsNotAPort(String spec) {
    assertThrows(IllegalArgumentException.class, () -> ExposedPorts.of(spec));
  }
}
