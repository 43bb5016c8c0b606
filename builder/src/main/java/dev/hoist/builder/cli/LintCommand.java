package dev.hoist.builder.cli;

import dev.hoist.builder.lint.LintReport;
import dev.hoist.builder.lint.Linter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hoist lint [-f Dockerfile] [--format text|json]}: best-practice checks with rule ids and
 * line numbers; exit status 1 when an error-level rule fires.
 */
@Command(
    name = "lint",
    description = "Check a Dockerfile against best practices (hadolint rule ids where they match).")
final class LintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Hoist hoist;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "PATH",
      defaultValue = "Dockerfile",
      description = "Dockerfile to check (default ./Dockerfile; - reads stdin).")
  String file;

  @Option(
      names = "--format",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format: text (one finding a line) or json (hadolint's JSON).")
  String format;

  @Option(names = "--list-rules", description = "List the rules and exit.")
  boolean listRules;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    if (listRules) {
      Linter.rules()
          .forEach(r -> out.printf("%s %-7s %s%n", r.id(), r.severity().label(), r.summary()));
      return 0;
    }
    if (!format.equals("text") && !format.equals("json")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--format must be text or json, not '" + format + "'");
    }
    String text =
        file.equals("-")
            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(file), StandardCharsets.UTF_8);
    LintReport report = Linter.lint(file.equals("-") ? "Dockerfile" : file, text);
    out.print(format.equals("json") ? report.toJson() + "\n" : report.toText());
    out.flush();
    return report.hasErrors() ? Hoist.EXIT_FAILURE : 0;
  }
}
