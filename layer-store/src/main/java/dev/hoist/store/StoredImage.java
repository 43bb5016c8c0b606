package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.Reference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image found in the store: what its {@code index.json} entry points at ({@code target}, a
 * manifest or an index), the index when it is one, the manifest chosen for this platform, and its
 * config; manifest and config verified against their digests.
 */
public record StoredImage(
    Descriptor target,
    Optional<Index> index,
    Manifest manifest,
    ImageConfig config,
    List<Reference> names) {

  public StoredImage {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    names = List.copyOf(names);
  }

  /** The image id: the digest of the config, as Docker shows it. */
  public Digest id() {
    return config.digest();
  }

  /** The descriptor of the manifest chosen (the target itself unless the target is an index). */
  public Descriptor manifestDescriptor() {
    return index.isPresent() ? manifest.descriptor() : target;
  }

  /** Bytes of config and layers as stored (layers compressed as they are stored). */
  public long size() {
    return manifest.config().size() + manifest.layers().stream().mapToLong(Descriptor::size).sum();
  }
}
