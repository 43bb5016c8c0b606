package dev.hoist.builder.build;

import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.testkit.BusyboxRootfs;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Base images for build tests, made from Debian's busybox-static and served by a real registry. */
final class BuildFixtures {
  static final Path DOCKERFILES =
      Path.of(System.getProperty("hoist.repo", "..")).resolve("testdata/dockerfiles/build");

  private BuildFixtures() {}

  /** Makes a one-layer busybox image and pushes it as {@code REGISTRY/busybox:latest}. */
  static Reference pushBusybox(LocalRegistry registry, Path work) throws IOException {
    Path rootfs = BusyboxRootfs.create(work.resolve("busybox-rootfs"));
    try (Store seed = Store.open(work.resolve("seed-store"))) {
      LayerFile layer =
          new LayerWriter(LayerOptions.defaults())
              .write(
                  LayerSource.directory(rootfs),
                  seed.tempDir().resolve(UUID.randomUUID() + ".tar.gz"));
      Descriptor blob =
          seed.putTempFile(layer.path(), layer.layer().mediaType(), layer.layer().digest());
      ImageConfig config =
          new ImageConfig.Builder(Platform.host())
              .created(Optional.of(Instant.parse("2024-01-01T00:00:00Z")))
              .config(
                  ContainerConfig.EMPTY.toBuilder()
                      .env(
                          List.of(
                              "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
                      .cmd(Optional.of(List.of("sh")))
                      .build())
              .addLayer(
                  layer.layer().diffId(),
                  History.of(Instant.parse("2024-01-01T00:00:00Z"), "busybox-static", null, false))
              .build();
      Descriptor configBlob = seed.putBytes(MediaTypes.OCI_CONFIG, config.raw());
      Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, configBlob, List.of(blob));
      Descriptor manifestBlob = seed.putBytes(MediaTypes.OCI_MANIFEST, manifest.raw());
      Reference ref = Reference.parse(registry.host() + "/busybox:latest");
      try (RegistryClient client = RegistryClient.builder().build()) {
        client.push(ref, manifestBlob, seed, Optional.empty(), TransferListener.NONE);
      }
      return ref;
    }
  }

  /** Applies every layer of {@code image} into a new directory: the image's file tree. */
  static Path unpack(Store store, StoredImage image, Path dir) throws IOException {
    new Exporter(store).rootfs(image.manifest().layers(), dir);
    return dir;
  }
}
