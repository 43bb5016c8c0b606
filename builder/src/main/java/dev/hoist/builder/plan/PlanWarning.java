package dev.hoist.builder.plan;

import dev.hoist.builder.dockerfile.SourceRange;
import java.util.Objects;

/**
 * Something the build should say but that does not stop it.
 *
 * @param ruleId BuildKit's check name, e.g. {@code UndefinedVar}
 */
public record PlanWarning(String ruleId, String fileName, SourceRange range, String message) {
  public PlanWarning {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return (range == null ? fileName : fileName + ":" + range.start())
        + ": "
        + message
        + " ("
        + ruleId
        + ")";
  }
}
