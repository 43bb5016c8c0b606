package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code hoist images}: an {@code index.json} entry, its name (empty for an image kept
 * without one), image id, creation time and stored size (config plus layers as stored).
 */
public record ImageSummary(
    Optional<Reference> name, Descriptor target, Digest id, Optional<Instant> created, long size) {
  public ImageSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
  }
}
