package dev.hoist.store.posix;

import java.io.IOException;

/** A libc call failed; carries the {@code errno} so that callers can react to specific codes. */
public final class PosixException extends IOException {
  private final int errno;

  PosixException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  /** The C {@code errno} value, e.g. {@link Posix#ENODATA}. */
  public int errno() {
    return errno;
  }
}
