package dev.hoist.builder.instructions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration}, the syntax of HEALTHCHECK's {@code --interval=1m30s}. */
public final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDurations() {}

  /**
   * Parses e.g. {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 0}.
   *
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = PART.matcher(s);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      String number = m.group(1);
      if (number.isEmpty() || number.equals(".")) {
        throw invalid(text);
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    long nanos = total.longValue();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "time: invalid duration \"" + text + "\"; use e.g. 30s, 1m30s or 500ms");
  }
}
