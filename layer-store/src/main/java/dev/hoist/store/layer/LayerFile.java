package dev.hoist.store.layer;

import java.nio.file.Path;
import java.util.Objects;

/** A layer written to a (temporary) file, fsynced; the caller moves it to where its digest says. */
public record LayerFile(Path path, WrittenLayer layer) {
  public LayerFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(layer, "layer");
  }
}
