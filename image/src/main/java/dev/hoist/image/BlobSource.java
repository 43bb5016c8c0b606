package dev.hoist.image;

import java.io.IOException;
import java.io.InputStream;

/** Where blobs are read from: the store, an archive. The registry client pushes from one. */
public interface BlobSource {
  boolean contains(Digest digest) throws IOException;

  /** The blob's size in bytes; {@link java.nio.file.NoSuchFileException} when it is absent. */
  long size(Digest digest) throws IOException;

  /** Opens the blob's bytes; the caller closes the stream. */
  InputStream open(Digest digest) throws IOException;

  /**
   * Whether this source may already hold the manifest {@code ref} names (by tag): when it cannot, a
   * puller fetches the manifest at once instead of first asking the registry for its digest with a
   * HEAD request, one round trip less. True unless the source knows better.
   */
  default boolean mayHoldManifestOf(Reference ref) throws IOException {
    return true;
  }
}
