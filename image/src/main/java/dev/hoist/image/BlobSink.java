package dev.hoist.image;

import java.io.IOException;

/**
 * Where blobs are written to: the store. The registry client pulls into one. A blob becomes visible
 * only once its bytes have been checked against the digest they were asked for.
 */
public interface BlobSink {
  boolean contains(Digest digest) throws IOException;

  /**
   * Starts writing the blob {@code expected}. Nothing is visible until {@link
   * BlobWriter#commit(String)} has verified the digest (and {@code expectedSize}, when not
   * negative).
   */
  BlobWriter writer(Digest expected, long expectedSize) throws IOException;
}
