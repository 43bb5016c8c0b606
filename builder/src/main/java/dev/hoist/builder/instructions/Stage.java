package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage as written: its FROM and the instructions up to the next FROM.
 *
 * @param index position among the stages, from 0
 * @param name the {@code AS} name, lower-cased as BuildKit matches it
 */
public record Stage(
    int index, Optional<String> name, FromInstruction from, List<Instruction> instructions) {
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    instructions = List.copyOf(instructions);
  }

  /** The name if it has one, else its index: how BuildKit names a stage in messages. */
  public String displayName() {
    return name.orElse(Integer.toString(index));
  }
}
