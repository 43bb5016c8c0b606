package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A linux/amd64 image of two one-file layers, stored and tagged {@code local/app:1}. */
final class TwoLayerImage {
  private TwoLayerImage() {}

  /**
   * Stores and tags the image in the store at {@code root}: layer 1 holds {@code fileA} with {@code
   * contentA}, layer 2 {@code fileB} with {@code contentB}; returns its manifest.
   */
  static Manifest store(Path root, String fileA, String contentA, String fileB, String contentB)
      throws IOException {
    try (Store store = Store.open(root)) {
      byte[] l1 = StoreCommandsTest.layer(fileA, contentA);
      byte[] l2 = StoreCommandsTest.layer(fileB, contentB);
      Instant created = Instant.parse("2026-01-01T00:00:00Z");
      ImageConfig config =
          new ImageConfig.Builder(Platform.of("linux", "amd64"))
              .created(Optional.of(created))
              .addLayer(Digest.sha256(l1), History.of(created, "COPY " + fileA + " /", null, false))
              .addLayer(Digest.sha256(l2), History.of(created, "COPY " + fileB + " /", null, false))
              .build();
      Descriptor c = store.putBytes(MediaTypes.OCI_CONFIG, config.raw());
      List<Descriptor> layers =
          List.of(
              store.putBytes(MediaTypes.OCI_LAYER, l1), store.putBytes(MediaTypes.OCI_LAYER, l2));
      Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, c, layers);
      store.putBytes(manifest.mediaType(), manifest.raw());
      store.tag(Reference.parse("local/app:1"), manifest.descriptor());
      return manifest;
    }
  }
}
