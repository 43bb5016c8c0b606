package dev.hoist.builder.instructions;

import java.util.Objects;

/** USER user[:group]. */
public record UserInstruction(Source source, String user) implements Instruction {
  public UserInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(user, "user");
  }
}
