package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** VOLUME. */
public record VolumeInstruction(Source source, List<String> paths) implements Instruction {
  public VolumeInstruction {
    Objects.requireNonNull(source, "source");
    paths = List.copyOf(paths);
  }
}
