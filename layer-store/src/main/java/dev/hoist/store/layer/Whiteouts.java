package dev.hoist.store.layer;

/** The names and markers by which layers and overlayfs record deletions. */
final class Whiteouts {
  /** {@code .wh.NAME} in a layer deletes NAME from the layers below. */
  static final String PREFIX = ".wh.";

  /** Files named {@code .wh..wh.*} are aufs metadata, never extracted. */
  static final String META_PREFIX = ".wh..wh.";

  /** In a layer, this file in a directory hides everything the lower layers had in it. */
  static final String OPAQUE = ".wh..wh..opq";

  /** In an overlay upper dir, this xattr (value {@code y}) marks an opaque directory. */
  static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

  static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

  private Whiteouts() {}
}
