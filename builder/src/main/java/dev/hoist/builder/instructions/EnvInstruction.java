package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** ENV key=value .... */
public record EnvInstruction(Source source, List<KeyValue> vars) implements Instruction {
  public EnvInstruction {
    Objects.requireNonNull(source, "source");
    vars = List.copyOf(vars);
  }
}
