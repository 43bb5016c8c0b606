package dev.hoist.image;

import java.io.IOException;

/** Bytes that were supposed to have one digest (or size) and turned out to have another. */
public final class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;
  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(String what, Digest expected, Digest actual, long size) {
    super(
        what
            + ": expected "
            + expected
            + " but the "
            + size
            + " bytes received have digest "
            + actual
            + "; the source is corrupt or lying, nothing was stored");
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
