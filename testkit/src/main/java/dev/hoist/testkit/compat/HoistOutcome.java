package dev.hoist.testkit.compat;

import java.util.List;
import java.util.Objects;

/** What hoist did with a case: its exit status, its stderr, and the dump of its image if built. */
public record HoistOutcome(int status, String stderr, List<String> dump) {
  public HoistOutcome {
    Objects.requireNonNull(stderr, "stderr");
    dump = List.copyOf(dump);
  }

  /** A failed build: the dump is {@code status=failed} with stderr's first line as a comment. */
  public static HoistOutcome failed(int status, String stderr) {
    String first = stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no stderr)");
    return new HoistOutcome(status, stderr, DumpLines.failed(first));
  }

  /** A failure as the harness wants it: exit 1 and one line on stderr. */
  boolean failedCleanly() {
    return status == 1 && stderr.strip().lines().count() == 1;
  }
}
