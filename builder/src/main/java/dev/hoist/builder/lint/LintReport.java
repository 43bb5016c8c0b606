package dev.hoist.builder.lint;

import dev.hoist.builder.dockerfile.AstJson;
import java.util.List;
import java.util.stream.Collectors;

/** The findings of one lint run, ordered by line. */
public record LintReport(List<Finding> findings) {
  public LintReport {
    findings = List.copyOf(findings);
  }

  /** Whether an error-level rule fired: {@code hoist lint} then exits 1. */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /** One finding a line, {@code Dockerfile:12 DL3008 warning: ...}. */
  public String toText() {
    return findings.stream().map(f -> f + "\n").collect(Collectors.joining());
  }

  /** hadolint's JSON format: an array of {code, column, file, level, line, message}. */
  public String toJson() {
    return findings.stream()
        .map(
            f ->
                "{\"code\":"
                    + json(f.ruleId())
                    + ",\"column\":1,\"file\":"
                    + json(f.fileName())
                    + ",\"level\":"
                    + json(f.severity().label())
                    + ",\"line\":"
                    + f.line()
                    + ",\"message\":"
                    + json(f.message())
                    + "}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  private static String json(String s) {
    return AstJson.str(s);
  }
}
