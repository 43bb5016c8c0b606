package dev.hoist.builder.shell;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Where the lexer looks variables up: names are case-sensitive, as on Linux. */
@FunctionalInterface
public interface Variables {
  /** The value of {@code name}, or empty when it is not set (set-but-empty is {@code ""}). */
  Optional<String> lookup(String name);

  /** No variable set. */
  Variables NONE = name -> Optional.empty();

  /** Variables backed by a map; the map is not copied. */
  static Variables of(Map<String, String> map) {
    Objects.requireNonNull(map, "map");
    return name -> Optional.ofNullable(map.get(name));
  }
}
