package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import java.util.Objects;
import java.util.Optional;

/**
 * A manifest or index as a registry served it: the exact bytes, the media type it came with and the
 * digest of those bytes (checked against the digest asked for or the one the registry announced).
 */
public record RemoteManifest(byte[] raw, String mediaType, Digest digest) {
  public RemoteManifest {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    raw = raw.clone();
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, raw.length);
  }

  /** The bytes as an image manifest; fails when they are an index. */
  public Manifest manifest() {
    return Manifest.parse(raw, Optional.of(mediaType));
  }

  /** The bytes as an index or manifest list; fails when they are a manifest. */
  public Index index() {
    return Index.parse(raw, Optional.of(mediaType));
  }
}
