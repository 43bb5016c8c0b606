package dev.hoist.registry;

import java.util.Set;
import java.util.TreeSet;

/**
 * The token scopes a request needs, e.g. {@code repository:library/busybox:pull}. Kept sorted so
 * that equal sets make equal token cache keys.
 */
record Scope(Set<String> entries) {
  static final Scope NONE = new Scope(Set.of());

  Scope {
    entries = Set.copyOf(entries);
  }

  static Scope pull(String repository) {
    return new Scope(Set.of("repository:" + repository + ":pull"));
  }

  static Scope push(String repository) {
    return new Scope(Set.of("repository:" + repository + ":pull,push"));
  }

  /** Push to {@code repository} and pull from {@code from}, as a cross-repository mount needs. */
  static Scope mount(String repository, String from) {
    return new Scope(
        Set.of("repository:" + repository + ":pull,push", "repository:" + from + ":pull"));
  }

  Scope with(String entry) {
    TreeSet<String> s = new TreeSet<>(entries);
    s.add(entry);
    return new Scope(s);
  }

  String key() {
    return String.join(" ", new TreeSet<>(entries));
  }
}
