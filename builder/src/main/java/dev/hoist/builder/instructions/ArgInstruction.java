package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;

/** ARG name[=default] .... */
public record ArgInstruction(Source source, List<ArgDecl> args) implements Instruction {
  public ArgInstruction {
    Objects.requireNonNull(source, "source");
    args = List.copyOf(args);
  }
}
