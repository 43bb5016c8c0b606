package dev.hoist.builder.plan;

import dev.hoist.image.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The ARGs Docker defines by itself. */
final class PlatformArgs {
  /** Proxy args may be passed without an ARG and never count as unused. */
  static final Set<String> PROXY =
      Set.of(
          "HTTP_PROXY",
          "http_proxy",
          "HTTPS_PROXY",
          "https_proxy",
          "FTP_PROXY",
          "ftp_proxy",
          "NO_PROXY",
          "no_proxy",
          "ALL_PROXY",
          "all_proxy");

  private PlatformArgs() {}

  /** TARGETPLATFORM, TARGETOS, ... BUILDVARIANT for these platforms. */
  static Map<String, String> of(Platform target, Platform build) {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "TARGET", target);
    put(m, "BUILD", build);
    return m;
  }

  private static void put(Map<String, String> m, String prefix, Platform p) {
    m.put(prefix + "PLATFORM", p.toString());
    m.put(prefix + "OS", p.os());
    m.put(prefix + "ARCH", p.architecture());
    m.put(prefix + "VARIANT", p.variant().orElse(""));
  }

  /** Whether an unused build arg of this name should be reported. */
  static boolean reportUnused(String name) {
    return !PROXY.contains(name)
        && !name.startsWith("BUILDKIT_")
        && !name.startsWith("SOURCE_DATE_EPOCH");
  }
}
