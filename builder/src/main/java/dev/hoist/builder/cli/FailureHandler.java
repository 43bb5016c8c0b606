package dev.hoist.builder.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one line on stderr and exit status 1; the stack trace only
 * with {@code --debug}.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  private final Hoist hoist;

  FailureHandler(Hoist hoist) {
    this.hoist = hoist;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println("hoist: " + Failures.describe(e));
    if (hoist.debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    return Hoist.EXIT_FAILURE;
  }
}
