package dev.hoist.builder.instructions;

import java.util.Objects;

/** WORKDIR. */
public record WorkdirInstruction(Source source, String path) implements Instruction {
  public WorkdirInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
  }
}
