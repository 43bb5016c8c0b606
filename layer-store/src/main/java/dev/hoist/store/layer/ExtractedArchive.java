package dev.hoist.store.layer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What extracting an archive did.
 *
 * @param applied the entries written, as for a layer
 * @param repeatedDirectories directories of the image that were repeated as they are because an
 *     entry needed them, and that no entry of the archive names: they are not the archive's
 */
public record ExtractedArchive(AppliedLayer applied, Set<Path> repeatedDirectories) {
  public ExtractedArchive {
    Objects.requireNonNull(applied, "applied");
    repeatedDirectories = Set.copyOf(repeatedDirectories);
  }
}
