package dev.hoist.builder.build;

import java.util.Locale;
import java.util.Set;

/**
 * STOPSIGNAL values as BuildKit checks them (moby's {@code signal.ParseSignal}): a positive number,
 * or a Linux signal name with or without {@code SIG}, in any case; the value is kept as written.
 */
final class StopSignals {
  private static final Set<String> NAMES =
      Set.of(
          "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
          "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
          "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
          "RTMIN", "RTMAX");

  private StopSignals() {}

  /**
   * Checks {@code value}.
   *
   * @throws IllegalArgumentException {@code Invalid signal: VALUE}, as BuildKit words it
   */
  static void check(String value) {
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
      if (value.length() > 10
          || Long.parseLong(value) == 0
          || Long.parseLong(value) > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("Invalid signal: " + value);
      }
      return;
    }
    String name = value.toUpperCase(Locale.ROOT);
    name = name.startsWith("SIG") ? name.substring(3) : name;
    if (!NAMES.contains(name) && !isRealtime(name)) {
      throw new IllegalArgumentException("Invalid signal: " + value);
    }
  }

  /** RTMIN+1 ... RTMIN+15 and RTMAX-14 ... RTMAX-1, the names Go's Linux signal map has. */
  private static boolean isRealtime(String name) {
    for (int i = 1; i <= 15; i++) {
      if (name.equals("RTMIN+" + i) || (i <= 14 && name.equals("RTMAX-" + i))) {
        return true;
      }
    }
    return false;
  }
}
