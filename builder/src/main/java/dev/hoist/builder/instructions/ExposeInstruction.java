package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** EXPOSE port[/proto] .... */
public record ExposeInstruction(Source source, List<String> ports) implements Instruction {
  public ExposeInstruction {
    Objects.requireNonNull(source, "source");
    ports = List.copyOf(ports);
  }
}
