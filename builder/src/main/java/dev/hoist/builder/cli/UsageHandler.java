package dev.hoist.builder.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Bad usage: the problem and where to read more, exit status 2. */
final class UsageHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("hoist: " + e.getMessage());
    err.println("See '" + cli.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return Hoist.EXIT_USAGE;
  }
}
