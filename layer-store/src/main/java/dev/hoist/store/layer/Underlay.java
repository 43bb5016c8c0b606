package dev.hoist.store.layer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an image already holds below the directory an archive is extracted into (ADD): read-only,
 * consulted for the parent directories the archive does not create itself.
 */
@FunctionalInterface
public interface Underlay {
  /**
   * Where the image keeps {@code relative} (components below the extraction root, slash-separated,
   * none of them a symlink), if it has it.
   */
  Optional<Path> lookup(String relative) throws IOException;

  /** An image that holds nothing there. */
  Underlay NONE = relative -> Optional.empty();
}
