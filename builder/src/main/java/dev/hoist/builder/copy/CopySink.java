package dev.hoist.builder.copy;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * What a COPY does, step by step, as {@link CopyPlanner} finds it. Two sinks consume the same
 * steps: {@link Stager} writes them, {@link InputDigester} hashes them, so the cache key can never
 * describe a different copy than the one staged. Targets are image paths relative to the root.
 */
interface CopySink {
  /** A directory that must exist: the image's own when it has one, else a new one. */
  void ensureDir(String target) throws IOException;

  /** A directory copied from the source, metadata and all. */
  void directory(String target, SourceNode source) throws IOException;

  /** A non-directory copied from the source: file, symlink, device or fifo. */
  void file(String target, SourceNode source) throws IOException;

  /** ADD of a local tar archive: its entries are extracted into {@code targetDir}. */
  void extract(String targetDir, SourceNode archive) throws IOException;

  /** A heredoc written as a file. */
  void inline(String target, byte[] content) throws IOException;

  /**
   * ADD of a URL: the body becomes the file {@code target}, or (ADD --unpack) when it is a tar
   * archive, its entries are extracted into {@code extractInto}.
   */
  void download(String target, URI url, Optional<String> extractInto) throws IOException;
}
