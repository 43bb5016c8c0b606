package dev.hoist.builder.shell;

import java.util.List;
import java.util.Set;

/**
 * The result of expanding one word.
 *
 * @param result the expanded text, quotes removed, inner blanks kept
 * @param words the expanded text split into words the way the shell would split it
 * @param matched variables that were referenced and set
 * @param unmatched variables that were referenced but not set
 */
public record Expansion(
    String result, List<String> words, Set<String> matched, Set<String> unmatched) {
  public Expansion {
    words = List.copyOf(words);
    matched = Set.copyOf(matched);
    unmatched = Set.copyOf(unmatched);
  }
}
