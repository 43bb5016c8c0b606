package dev.hoist.builder.lint;

import java.util.Locale;

/** How serious a finding is; an {@link #ERROR} makes {@code hoist lint} exit 1. */
public enum Severity {
  ERROR,
  WARNING,
  INFO,
  STYLE;

  /** {@code error}, {@code warning}, ... as hadolint prints it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
