package dev.hoist.store.layer;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.Posix;
import java.util.Objects;
import java.util.Optional;

/**
 * How a layer is applied.
 *
 * @param target what the directory is: a merged tree, or an overlay lower dir (snapshot)
 * @param preserveOwnership lchown every entry to its numeric uid/gid (needs root)
 * @param label names the layer in error messages, e.g. {@code layer sha256:ab…}
 * @param expectedDiffId when present, the uncompressed tar must have this digest
 */
public record ApplyOptions(
    Target target, boolean preserveOwnership, String label, Optional<Digest> expectedDiffId) {
  /** Where the layer goes, which decides what a whiteout becomes. */
  public enum Target {
    /** A plain tree holding the union so far: a whiteout deletes, an opaque marker clears. */
    TREE,
    /**
     * A fresh directory used as an overlay lower dir: a whiteout becomes a character device 0/0, an
     * opaque marker the xattr {@code trusted.overlay.opaque=y} on its directory.
     */
    OVERLAY_LOWER
  }

  public ApplyOptions {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(expectedDiffId, "expectedDiffId");
  }

  /** Apply onto a tree, owners kept when running as root, labelled by the layer's digest. */
  public static ApplyOptions tree(Digest layer) {
    return new ApplyOptions(Target.TREE, Posix.isRoot(), "layer " + layer, Optional.empty());
  }

  /** Unpack into an overlay lower dir, owners kept when running as root. */
  public static ApplyOptions overlayLower(Digest layer) {
    return new ApplyOptions(
        Target.OVERLAY_LOWER, Posix.isRoot(), "layer " + layer, Optional.empty());
  }

  public ApplyOptions withExpectedDiffId(Digest diffId) {
    return new ApplyOptions(target, preserveOwnership, label, Optional.of(diffId));
  }

  public ApplyOptions withLabel(String newLabel) {
    return new ApplyOptions(target, preserveOwnership, newLabel, expectedDiffId);
  }
}
