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

    /**
     * The lowers as overlayfs takes them, bottom first, each directory once, at its topmost
     * position. An image may hold the same layer twice (two identical COPY steps, or the empty
     * layer an old Docker repeated), and overlayfs refuses a lower dir given twice ("Too many
     * levels of symbolic links"). Dropping the lower copies keeps the merged view: the topmost copy
     * already decides every path the layer names (its files, whiteouts and opaque dirs hide
     * everything below it, the other copies included), so a copy further down adds nothing, while
     * keeping only the bottom one would let the layers between override it.
     */
    List<Path> distinctLowers() {
      var seen = new java.util.HashSet<Path>();
      var topFirst = new java.util.ArrayList<Path>();
      for (int i = lowers.size() - 1; i >= 0; i--) {
        Path lower = lowers.get(i);
        if (seen.add(lower.toAbsolutePath().normalize())) {
          topFirst.add(lower);
        }
      }
      java.util.Collections.reverse(topFirst);
      return List.copyOf(topFirst);
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
