package dev.hoist.builder.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Bad usage: the problem and where to read more, exit status 2. */
final class UsageHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("hoist: " + message(e));
    err.println("See '" + cli.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return Hoist.EXIT_USAGE;
  }

  /**
   * picocli's message, except for a mistyped command, which Docker users know as one line, and
   * login's unknown arguments, which are not repeated.
   */
  private static String message(ParameterException e) {
    if (e instanceof UnmatchedArgumentException
        && e.getCommandLine().getCommandName().equals("login")) {
      // picocli would echo "-pSECRET" or "--password=SECRET" back: never repeat login's arguments.
      return "login: unknown option or extra argument (not shown, it may be a password);"
          + " hoist login has no -p/--password, pipe the password in with --password-stdin";
    }
    if (e instanceof UnmatchedArgumentException unmatched
        && e.getCommandLine().getParent() == null
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      String word = unmatched.getUnmatched().get(0);
      return "unknown command '"
          + word
          + "'"
          + Subcommands.closest(word).map(c -> "; did you mean '" + c + "'?").orElse("");
    }
    return e.getMessage();
  }
}
