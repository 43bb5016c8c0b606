package dev.hoist.store;

import dev.hoist.image.Digest;
import java.io.IOException;

/** A stored blob whose bytes no longer hash to the digest it is named by. */
public final class CorruptBlobException extends IOException {
  private static final long serialVersionUID = 1L;
  private final Digest digest;

  public CorruptBlobException(String where, Digest expected, Digest actual) {
    super(
        "blob "
            + expected
            + " in "
            + where
            + " is corrupt (its bytes hash to "
            + actual
            + "); run 'hoist fsck', then remove the image and pull or build it again");
    this.digest = expected;
  }

  public Digest digest() {
    return digest;
  }
}
