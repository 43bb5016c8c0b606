package dev.hoist.builder.cli;

import dev.hoist.builder.dockerfile.AstJson;
import dev.hoist.builder.dockerfile.Dockerfile;
import dev.hoist.builder.dockerfile.DockerfileParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hoist debug}: tools for looking inside hoist. Its one subcommand, {@code parse}, prints a
 * Dockerfile's parse tree in BuildKit's AST dump format or as JSON.
 */
@Command(
    name = "debug",
    description = "Look inside hoist's front end.",
    subcommands = DebugParseCommand.Parse.class)
final class DebugParseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand; try 'hoist debug parse -f Dockerfile'");
  }

  /** {@code hoist debug parse [--format ast|json] -f FILE}. */
  @Command(name = "parse", description = "Print the parse tree of a Dockerfile.")
  static final class Parse implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "PATH",
        defaultValue = "Dockerfile",
        description = "Dockerfile to parse (default ./Dockerfile; - reads stdin).")
    String file;

    @Option(
        names = "--format",
        paramLabel = "ast|json",
        defaultValue = "ast",
        description = "ast: BuildKit's AST dump (one s-expression per instruction); json.")
    String format;

    @Override
    public Integer call() throws IOException {
      if (!format.equals("ast") && !format.equals("json")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--format must be ast or json, not '" + format + "'");
      }
      byte[] bytes =
          file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
      Dockerfile df = DockerfileParser.parse(file.equals("-") ? "Dockerfile" : file, bytes);
      var out = spec.commandLine().getOut();
      out.print((format.equals("ast") ? df.dump() : AstJson.toJson(df)) + "\n");
      out.flush();
      return 0;
    }
  }
}
