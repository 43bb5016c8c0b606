package dev.hoist.builder.lint;

import java.util.Objects;

/**
 * One lint rule: a stable id, a severity and a check over the whole Dockerfile.
 *
 * @param summary one line on what the rule wants, for {@code --help}-style listings
 */
public record LintRule(String id, Severity severity, String summary, LintRule.Check check) {
  public LintRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(check, "check");
  }

  /** Looks at a Dockerfile and reports findings. */
  @FunctionalInterface
  public interface Check {
    void run(LintContext ctx, Reporter report);
  }

  /** Receives findings of one rule. */
  @FunctionalInterface
  public interface Reporter {
    /** A finding at {@code line} (1-based). */
    void at(int line, String message);
  }
}
