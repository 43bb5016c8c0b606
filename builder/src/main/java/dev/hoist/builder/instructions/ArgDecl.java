package dev.hoist.builder.instructions;

import java.util.Objects;
import java.util.Optional;

/** One {@code name[=default]} of an ARG instruction. */
public record ArgDecl(String name, Optional<String> defaultValue) {
  public ArgDecl {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }
}
