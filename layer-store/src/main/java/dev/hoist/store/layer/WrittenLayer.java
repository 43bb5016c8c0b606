package dev.hoist.store.layer;

import dev.hoist.image.Compression;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import java.util.Objects;

/**
 * What writing a layer produced.
 *
 * @param digest digest of the compressed blob (the manifest's layer digest)
 * @param diffId digest of the uncompressed tar (the config's {@code rootfs.diff_ids} entry)
 * @param size bytes of the compressed blob
 * @param uncompressedSize bytes of the tar
 */
public record WrittenLayer(
    Digest digest, Digest diffId, long size, long uncompressedSize, Compression compression) {
  public WrittenLayer {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(compression, "compression");
  }

  /** The OCI media type of the blob. */
  public String mediaType() {
    return MediaTypes.layerType(compression, false);
  }

  /** The manifest descriptor of the blob, OCI or Docker media type. */
  public Descriptor descriptor(boolean dockerMediaType) {
    return Descriptor.of(MediaTypes.layerType(compression, dockerMediaType), digest, size);
  }
}
