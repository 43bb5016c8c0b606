package dev.hoist.builder.instructions;

import java.util.List;

/**
 * The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK: exec form ({@code ["a", "b"]}, run as is) or
 * shell form (one string, run through the stage's SHELL).
 */
public record CommandForm(List<String> args, boolean exec) {
  public CommandForm {
    args = List.copyOf(args);
  }

  public static CommandForm shell(String commandLine) {
    return new CommandForm(List.of(commandLine), false);
  }

  public static CommandForm exec(List<String> args) {
    return new CommandForm(args, true);
  }

  /** The text as a person would read it. */
  public String text() {
    return String.join(" ", args);
  }
}
