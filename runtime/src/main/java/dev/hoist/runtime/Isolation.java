package dev.hoist.runtime;

import java.util.Locale;

/** How a step is isolated: {@code --isolation auto|oci|chroot}. */
public enum Isolation {
  /** {@link #OCI} when an OCI runtime is found and answers, else {@link #CHROOT}. */
  AUTO,
  /** An OCI runtime (runc by default) driven by a generated {@code config.json}. */
  OCI,
  /** Built in: util-linux {@code unshare} namespaces, overlay and {@code pivot_root}. */
  CHROOT;

  /** Parses {@code auto}, {@code oci} or {@code chroot} (any case). */
  public static Isolation parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown isolation '" + text + "': use auto, oci or chroot", e);
    }
  }

  /** The flag value, as written on the command line. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
