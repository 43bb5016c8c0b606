package dev.hoist.builder.instructions;

import java.util.Objects;

/** MAINTAINER (deprecated; becomes the author field). */
public record MaintainerInstruction(Source source, String maintainer) implements Instruction {
  public MaintainerInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(maintainer, "maintainer");
  }
}
