package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** LABEL key=value .... */
public record LabelInstruction(Source source, List<KeyValue> labels) implements Instruction {
  public LabelInstruction {
    Objects.requireNonNull(source, "source");
    labels = List.copyOf(labels);
  }
}
