package dev.hoist.builder.dockerfile;

import java.util.Optional;

/**
 * The parser directives at the top of a Dockerfile.
 *
 * @param escapeToken {@code \} (default) or {@code `}
 * @param syntax the {@code # syntax=} frontend image, if any (hoist parses the file itself)
 * @param check the {@code # check=} value, e.g. {@code skip=JSONArgsRecommended;error=true}
 */
public record Directives(int escapeToken, Optional<String> syntax, Optional<String> check) {
  public static final Directives DEFAULT = new Directives('\\', Optional.empty(), Optional.empty());
}
