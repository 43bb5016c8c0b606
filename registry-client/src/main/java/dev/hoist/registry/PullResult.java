package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pull fetched into the sink: the image manifest of the chosen platform (tag this one: its
 * config and layers are all in the sink), and the index it was chosen from when the reference named
 * an index. Manifest and index bytes are in the sink too.
 *
 * @param bytesDownloaded blob bytes fetched over the network (0 when everything was present)
 */
public record PullResult(
    dev.hoist.image.Reference reference,
    Manifest manifest,
    Optional<Index> index,
    long bytesDownloaded) {
  public PullResult {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(index, "index");
  }

  /** The descriptor to tag in a store: the chosen platform's manifest. */
  public Descriptor manifestDescriptor() {
    return manifest.descriptor();
  }
}
