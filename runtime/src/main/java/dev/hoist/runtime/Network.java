package dev.hoist.runtime;

import java.util.Locale;

/** The network a step sees. */
public enum Network {
  /** The host's network namespace, as {@code docker build} does by default. */
  HOST,
  /** A new network namespace with only the loopback interface, up. */
  NONE;

  /** Parses {@code host} or {@code none}; {@code default} means host, as in docker build. */
  public static Network parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "host", "default" -> HOST;
      case "none" -> NONE;
      default ->
          throw new IllegalArgumentException("unknown network '" + text + "': use host or none");
    };
  }
}
