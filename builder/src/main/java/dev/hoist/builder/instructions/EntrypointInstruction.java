package dev.hoist.builder.instructions;

import java.util.Objects;

/** ENTRYPOINT. */
public record EntrypointInstruction(Source source, CommandForm command) implements Instruction {
  public EntrypointInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(command, "command");
  }
}
