package dev.hoist.builder.copy;

import dev.hoist.builder.context.IgnoreMatcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Where COPY and ADD read files from. */
public sealed interface FileSource {
  /**
   * The build context directory, with {@code .dockerignore} applied. Nothing outside {@code root}
   * is ever read: the root acts as {@code /} for absolute paths, {@code ..} and symlinks.
   */
  record Context(Path root, IgnoreMatcher ignore) implements FileSource {
    public Context {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(ignore, "ignore");
    }
  }

  /**
   * An image or stage rootfs given as its layer directories (overlay lower dirs or snapshots, where
   * a whiteout is a character device 0/0 and an opaque directory carries {@code
   * trusted.overlay.opaque=y}), top first. No layers is an empty rootfs (a stage built on scratch
   * that has no layer yet).
   */
  record Layers(List<Path> topFirst) implements FileSource {
    public Layers {
      topFirst = List.copyOf(topFirst);
    }
  }
}
