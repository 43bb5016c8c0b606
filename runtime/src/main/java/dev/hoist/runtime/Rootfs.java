package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The root filesystem of a step: an overlay of unpacked layers, or a plain directory. */
public sealed interface Rootfs {

  /**
   * An overlay: read-only {@code lowers} (bottom layer first, the order of an image's layers), a
   * fresh {@code upper} that receives the step's changes (deletions as whiteouts) and overlayfs's
   * {@code work} dir, which must be an empty directory on the same filesystem as {@code upper}.
   */
  record Overlay(List<Path> lowers, Path upper, Path work) implements Rootfs {
    public Overlay {
      lowers = List.copyOf(lowers);
      Objects.requireNonNull(upper, "upper");
      Objects.requireNonNull(work, "work");
      if (lowers.isEmpty()) {
        throw new IllegalArgumentException("an overlay rootfs needs at least one lower dir");
      }
    }
  }

  /** A plain directory that the step changes in place. */
  record Directory(Path dir) implements Rootfs {
    public Directory {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /** The layers as seen from the top: the writable dir first, then the lowers top to bottom. */
  default List<Path> layersTopFirst() {
    if (this instanceof Overlay overlay) {
      var layers = new java.util.ArrayList<Path>();
      layers.add(overlay.upper());
      for (int i = overlay.lowers().size() - 1; i >= 0; i--) {
        layers.add(overlay.lowers().get(i));
      }
      return List.copyOf(layers);
    }
    return List.of(((Directory) this).dir());
  }

  /** The directory that receives the step's writes. */
  default Path writableDir() {
    return this instanceof Overlay overlay ? overlay.upper() : ((Directory) this).dir();
  }
}
