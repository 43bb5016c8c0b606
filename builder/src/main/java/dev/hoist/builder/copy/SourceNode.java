package dev.hoist.builder.copy;

import dev.hoist.store.posix.FileStat;
import java.nio.file.Path;

/**
 * One file of a COPY source as the merged view shows it.
 *
 * @param path its path relative to the source root, symlinks in its parents resolved
 * @param real where its bytes are on disk (in the context or in one layer dir)
 * @param stat what lstat says about {@code real}
 */
record SourceNode(String path, Path real, FileStat stat) {
  String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  String child(String name) {
    return path.isEmpty() ? name : path + "/" + name;
  }
}
