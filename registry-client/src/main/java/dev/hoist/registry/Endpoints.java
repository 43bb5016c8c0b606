package dev.hoist.registry;

import java.util.Locale;
import java.util.Set;

/** Where a registry named in a reference is reached, and whether it may be plain HTTP. */
final class Endpoints {
  /** Docker Hub's API host; references name it {@code docker.io}. */
  static final String DOCKER_HUB_API = "registry-1.docker.io";

  private Endpoints() {}

  /** {@code docker.io} (and its aliases) → {@code registry-1.docker.io}; others unchanged. */
  static String apiHost(String registry) {
    return switch (registry) {
      case "docker.io", "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB_API;
      default -> registry;
    };
  }

  /**
   * Whether TLS may be skipped for {@code registry} ({@code host[:port]}): {@code localhost} and
   * 127.0.0.0/8 as Docker allows, {@code ::1}, and the hosts named insecure (with or without port).
   */
  static boolean insecure(String registry, Set<String> insecureRegistries, boolean loopback) {
    String r = registry.toLowerCase(Locale.ROOT);
    if (insecureRegistries.contains(r)) {
      return true;
    }
    String host = hostOf(r);
    if (insecureRegistries.contains(host)) {
      return true;
    }
    return loopback
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  /** The host of {@code host[:port]} (brackets kept for IPv6). */
  static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return registry.substring(0, end + 1);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }
}
