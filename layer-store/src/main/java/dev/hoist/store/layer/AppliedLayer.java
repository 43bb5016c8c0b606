package dev.hoist.store.layer;

import dev.hoist.image.Compression;
import dev.hoist.image.Digest;
import java.util.Objects;

/**
 * What applying a layer did.
 *
 * @param diffId digest of the uncompressed tar as read
 * @param uncompressedSize bytes of the tar
 * @param compression what the stream was compressed with (detected from its magic bytes)
 * @param entries tar entries applied, whiteouts included
 * @param skippedDevices device nodes not created because the process may not mknod them
 */
public record AppliedLayer(
    Digest diffId,
    long uncompressedSize,
    Compression compression,
    long entries,
    long skippedDevices) {
  public AppliedLayer {
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(compression, "compression");
  }
}
