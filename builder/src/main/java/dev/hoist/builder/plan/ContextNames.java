package dev.hoist.builder.plan;

import dev.hoist.image.Reference;
import java.util.Locale;
import java.util.Optional;

/**
 * The key a named build context ({@code --build-context NAME=...}) is stored and looked up under,
 * as buildx and BuildKit's Dockerfile frontend make it: the name parsed as an image reference,
 * written in Docker's short form without {@code :latest}. So {@code alpine}, {@code alpine:latest}
 * and {@code docker.io/library/alpine:latest} are one key, {@code alpine:3.19} another. {@code
 * scratch} and {@code context} are never looked up, so no context changes what they mean.
 */
public final class ContextNames {
  private ContextNames() {}

  /**
   * The key of {@code name}.
   *
   * @throws IllegalArgumentException when {@code name} is no image reference (e.g. upper case)
   */
  public static String key(String name) {
    String familiar = Reference.parse(name).familiar();
    return familiar.endsWith(":latest")
        ? familiar.substring(0, familiar.length() - ":latest".length())
        : familiar;
  }

  /** The key under which a context could stand for {@code name}; empty for reserved names. */
  public static Optional<String> lookupKey(String name) {
    if (reserved(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(key(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code scratch} and {@code context}, in any case: names no context may take over. */
  public static boolean reserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals("scratch") || lower.equals("context");
  }
}
