package dev.hoist.builder.instructions;

import java.util.Objects;

/** STOPSIGNAL. */
public record StopsignalInstruction(Source source, String signal) implements Instruction {
  public StopsignalInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(signal, "signal");
  }
}
