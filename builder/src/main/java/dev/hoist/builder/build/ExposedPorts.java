package dev.hoist.builder.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The config's {@code ExposedPorts} keys for one EXPOSE word, read as BuildKit reads it (moby's
 * {@code nat.ParsePortSpecs}): {@code 80} is {@code 80/tcp}, a protocol is lower-cased, a range
 * {@code 8000-8002} names each port, and of {@code [ip:]hostPort:containerPort} only the container
 * port is exposed.
 */
final class ExposedPorts {
  private ExposedPorts() {}

  /**
   * The keys for {@code spec}.
   *
   * @throws IllegalArgumentException with a one-line reason, for what is not a port
   */
  static List<String> of(String spec) {
    String[] parts = spec.split("/", -1);
    String port = parts[0];
    String proto =
        parts.length < 2 || parts[1].isEmpty() ? "tcp" : parts[1].toLowerCase(Locale.ROOT);
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw new IllegalArgumentException("Invalid proto: " + proto);
    }
    String container = port.substring(port.lastIndexOf(':') + 1);
    int dash = container.indexOf('-');
    int first = number(dash < 0 ? container : container.substring(0, dash), container);
    int last = dash < 0 ? first : number(container.substring(dash + 1), container);
    if (last < first) {
      throw new IllegalArgumentException("Invalid range specified for containerPort: " + container);
    }
    List<String> keys = new ArrayList<>();
    for (int p = first; p <= last; p++) {
      keys.add(p + "/" + proto);
    }
    return keys;
  }

  private static int number(String text, String container) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("Invalid containerPort: " + container);
    }
    int n = Integer.parseInt(text);
    if (n > 65535) {
      throw new IllegalArgumentException("Invalid containerPort: " + container);
    }
    return n;
  }
}
