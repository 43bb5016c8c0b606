package dev.hoist.builder.instructions;

import java.util.Objects;

/** CMD: the default command. */
public record CmdInstruction(Source source, CommandForm command) implements Instruction {
  public CmdInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(command, "command");
  }
}
