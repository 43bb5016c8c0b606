package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** SHELL ["executable", "param"]: the shell of later shell-form commands. */
public record ShellInstruction(Source source, List<String> shell) implements Instruction {
  public ShellInstruction {
    Objects.requireNonNull(source, "source");
    shell = List.copyOf(shell);
  }
}
