package dev.hoist.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A resource limit of a step's process, as {@code docker build --ulimit TYPE=SOFT[:HARD]} gives it:
 * {@code nofile=1024:2048}; {@code -1} is unlimited.
 *
 * @param type the limit's name as Docker spells it ({@code nofile}, {@code nproc}, ...)
 * @param soft the soft limit, {@code -1} for unlimited
 * @param hard the hard limit, {@code -1} for unlimited; never below {@code soft}
 */
public record Ulimit(String type, long soft, long hard) {
  /** Docker's names, which are also prlimit(1)'s option names and, upper-cased, OCI's. */
  public static final List<String> TYPES =
      List.of(
          "core",
          "cpu",
          "data",
          "fsize",
          "locks",
          "memlock",
          "msgqueue",
          "nice",
          "nofile",
          "nproc",
          "rss",
          "rtprio",
          "rttime",
          "sigpending",
          "stack");

  public Ulimit {
    Objects.requireNonNull(type, "type");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "invalid ulimit type '" + type + "': use one of " + String.join(", ", TYPES));
    }
    if (soft < -1 || hard < -1) {
      throw new IllegalArgumentException("invalid ulimit " + type + ": limits are -1 or more");
    }
    if (unlimitedAsMax(soft) > unlimitedAsMax(hard)) {
      throw new IllegalArgumentException(
          "invalid ulimit " + type + "=" + soft + ":" + hard + ": the soft limit exceeds the hard");
    }
  }

  /** Parses {@code TYPE=SOFT[:HARD]}; a lone value is both limits, as in Docker. */
  public static Ulimit parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          "invalid ulimit '" + text + "': write TYPE=SOFT[:HARD], e.g. nofile=1024:2048");
    }
    String type = text.substring(0, eq).strip().toLowerCase(Locale.ROOT);
    String[] values = text.substring(eq + 1).split(":", -1);
    if (values.length > 2) {
      throw new IllegalArgumentException(
          "invalid ulimit '" + text + "': write TYPE=SOFT[:HARD], e.g. nofile=1024:2048");
    }
    long soft = number(text, values[0]);
    long hard = values.length == 2 ? number(text, values[1]) : soft;
    return new Ulimit(type, soft, hard);
  }

  /** The OCI runtime spec's name, {@code RLIMIT_NOFILE}. */
  public String ociType() {
    return "RLIMIT_" + type.toUpperCase(Locale.ROOT);
  }

  /** prlimit(1)'s option, {@code --nofile=1024:2048}. */
  public String prlimitOption() {
    return "--" + type + "=" + prlimitValue(soft) + ":" + prlimitValue(hard);
  }

  /** A limit as the OCI spec's uint64 takes it: unlimited ({@code -1}) is RLIM_INFINITY. */
  public static java.math.BigInteger ociValue(long limit) {
    return new java.math.BigInteger(Long.toUnsignedString(limit));
  }

  private static String prlimitValue(long limit) {
    return limit == -1 ? "unlimited" : Long.toString(limit);
  }

  private static long unlimitedAsMax(long limit) {
    return limit == -1 ? Long.MAX_VALUE : limit;
  }

  private static long number(String text, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid ulimit '" + text + "': '" + value + "' is not a number (-1 is unlimited)");
    }
  }
}
