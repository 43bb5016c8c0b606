package dev.hoist.runtime;

import java.util.Objects;

/** An extra {@code /etc/hosts} line, as {@code --add-host HOST:IP} gives it. */
public record HostEntry(String hostname, String address) {
  public HostEntry {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(address, "address");
    if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("invalid host name '" + hostname + "' in --add-host");
    }
    if (address.isBlank() || address.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("invalid address '" + address + "' in --add-host");
    }
  }

  /** Parses {@code HOST:IP} (the address may be IPv6 and contain colons). */
  public static HostEntry parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("invalid --add-host '" + text + "': write it as HOST:IP");
    }
    return new HostEntry(text.substring(0, colon), text.substring(colon + 1));
  }
}
