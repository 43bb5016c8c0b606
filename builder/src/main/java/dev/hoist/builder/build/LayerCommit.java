package dev.hoist.builder.build;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.store.snapshot.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a directory of a step's changes into a layer in the store. The directory is already in the
 * form of an overlay lower dir (an upper dir, or a COPY's staged tree), so it then becomes the
 * layer's snapshot by a rename: the next step over it unpacks nothing.
 */
final class LayerCommit {
  /** A step's layer: none when it changed no file. */
  record Outcome(Optional<Descriptor> layer, Optional<Digest> diffId) {
    static final Outcome EMPTY = new Outcome(Optional.empty(), Optional.empty());
  }

  private final Store store;
  private final Snapshots snapshots;
  private final LayerOptions options;

  LayerCommit(Store store, Snapshots snapshots, LayerOptions options) {
    this.store = store;
    this.snapshots = snapshots;
    this.options = options;
  }

  Outcome commit(Path dir, LayerSource source) throws IOException {
    if (isEmpty(dir)) {
      return Outcome.EMPTY;
    }
    return write(dir, source);
  }

  /**
   * A RUN's layer: one even when the step changed no file, as BuildKit and Buildah both record a
   * layer (an empty one) for every RUN.
   */
  Outcome commitRun(Path upper, LayerSource source) throws IOException {
    return write(upper, source);
  }

  private Outcome write(Path dir, LayerSource source) throws IOException {
    Path temp = store.tempDir().resolve(UniqueNames.next() + ".layer");
    LayerFile file = new LayerWriter(options).write(source, temp);
    Descriptor blob =
        store.putTempFile(file.path(), file.layer().mediaType(), file.layer().digest());
    Digest diffId = file.layer().diffId();
    snapshots.adopt(dir, diffId);
    return new Outcome(Optional.of(blob), Optional.of(diffId));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
