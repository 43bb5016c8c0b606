package dev.hoist.builder.lint;

import java.util.Objects;

/**
 * One lint finding.
 *
 * @param ruleId a stable id: hadolint's {@code DLxxxx} where the rule is the same, else {@code
 *     HLxxxx}
 * @param line the 1-based line of the instruction it is about
 */
public record Finding(String ruleId, Severity severity, String fileName, int line, String message) {
  public Finding {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(message, "message");
  }

  /** {@code Dockerfile:12 DL3008 warning: message}, as hadolint prints it. */
  @Override
  public String toString() {
    return fileName + ":" + line + " " + ruleId + " " + severity.label() + ": " + message;
  }
}
