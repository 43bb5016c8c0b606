package dev.hoist.store.layer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a layer is made of. Today: a whole directory tree ({@link #directory}) or the upper dir of
 * an overlay mount ({@link #overlayUpper}); a diff of two trees by walking both fits here later.
 */
public final class LayerSource {
  enum Kind {
    DIRECTORY,
    OVERLAY_UPPER
  }

  private final Kind kind;
  private final Path root;

  private LayerSource(Kind kind, Path root) {
    this.kind = kind;
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Every file under {@code root}, as additions (root itself is not an entry). */
  public static LayerSource directory(Path root) {
    return new LayerSource(Kind.DIRECTORY, root);
  }

  /**
   * The changes recorded in an overlayfs upper dir: a character device 0/0 becomes a whiteout
   * {@code .wh.NAME}, a directory with {@code trusted.overlay.opaque=y} gets {@code .wh..wh..opq}.
   * Only the upper dir is read, so the cost grows with what changed, not with the image.
   */
  public static LayerSource overlayUpper(Path upper) {
    return new LayerSource(Kind.OVERLAY_UPPER, upper);
  }

  Kind kind() {
    return kind;
  }

  public Path root() {
    return root;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + root;
  }
}
