package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Manifest;
import dev.hoist.image.Reference;
import java.util.List;
import java.util.Objects;

/**
 * What {@link RegistryClient#pullAll} fetched into the sink: the index (or single manifest) the
 * reference names, with its bytes as served, and every image manifest under it; all of their
 * configs and layers are in the sink too.
 *
 * @param root the descriptor of what the reference names: tag this one
 * @param manifests the image manifests: every one the index lists, or just the root
 * @param bytesDownloaded blob bytes fetched over the network (0 when everything was present)
 */
public record PullAllResult(
    Reference reference, Descriptor root, List<Manifest> manifests, long bytesDownloaded) {
  public PullAllResult {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(root, "root");
    manifests = List.copyOf(manifests);
  }
}
