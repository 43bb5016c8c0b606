package dev.hoist.builder.context;

import java.util.Optional;

/** Go's {@code strconv.ParseBool}, which BuildKit reads its boolean options with. */
public final class GoBool {
  private GoBool() {}

  /** {@code 1 t T true TRUE True} and {@code 0 f F false FALSE False}; empty for anything else. */
  public static Optional<Boolean> parse(String text) {
    return switch (text) {
      case "1", "t", "T", "true", "TRUE", "True" -> Optional.of(true);
      case "0", "f", "F", "false", "FALSE", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
