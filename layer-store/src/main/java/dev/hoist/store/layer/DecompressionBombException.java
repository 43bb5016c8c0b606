package dev.hoist.store.layer;

import java.io.IOException;
import java.util.Optional;

/**
 * A compressed stream that decompressed past its {@link DecompressionLimit}; the message names the
 * stream, the limit and the environment variable that raises it.
 */
public final class DecompressionBombException extends IOException {
  private static final long serialVersionUID = 1L;

  DecompressionBombException(String message) {
    super(message);
  }

  /** The bomb behind {@code e}, if {@code e} or one of its causes is one. */
  public static Optional<DecompressionBombException> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DecompressionBombException bomb) {
        return Optional.of(bomb);
      }
    }
    return Optional.empty();
  }
}
