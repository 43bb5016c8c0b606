package dev.hoist.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One blob being written. Write its bytes to {@link #stream()}, possibly across several attempts (a
 * resumed download continues at {@link #written()}), then {@link #commit(String)}. Closing without
 * a commit discards what was written.
 */
public interface BlobWriter extends Closeable {
  OutputStream stream();

  /** How many bytes have been written so far, i.e. where a resumed transfer must continue. */
  long written();

  /**
   * Verifies size and digest and makes the blob visible.
   *
   * @throws DigestMismatchException when the bytes are not the ones asked for; nothing is kept
   */
  Descriptor commit(String mediaType) throws IOException;

  /** Discards what was written unless the blob was committed. */
  @Override
  void close() throws IOException;
}
