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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
      LayerFile layer = putLayer(seed, rootfs);
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
      return push(registry, seed, layerBlob(seed, layer), config, "busybox:latest");
    }
  }

  /** Writes {@code rootfs} as a gzip layer file in {@code seed}'s temp dir. */
  static LayerFile putLayer(Store seed, Path rootfs) throws IOException {
    return new LayerWriter(LayerOptions.defaults())
        .write(
            LayerSource.directory(rootfs), seed.tempDir().resolve(UUID.randomUUID() + ".tar.gz"));
  }

  /** Moves a layer file made by {@link #putLayer} into {@code seed} as a blob. */
  static Descriptor layerBlob(Store seed, LayerFile layer) throws IOException {
    return seed.putTempFile(layer.path(), layer.layer().mediaType(), layer.layer().digest());
  }

  /**
   * Stores {@code config} and a manifest of the one {@code layer} in {@code seed}, and pushes them
   * as {@code REGISTRY/NAME}.
   */
  static Reference push(
      LocalRegistry registry, Store seed, Descriptor layer, ImageConfig config, String name)
      throws IOException {
    Descriptor configBlob = seed.putBytes(MediaTypes.OCI_CONFIG, config.raw());
    Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, configBlob, List.of(layer));
    Descriptor manifestBlob = seed.putBytes(MediaTypes.OCI_MANIFEST, manifest.raw());
    Reference ref = Reference.parse(registry.host() + "/" + name);
    try (RegistryClient client = RegistryClient.builder().build()) {
      client.push(ref, manifestBlob, seed, Optional.empty(), TransferListener.NONE);
    }
    return ref;
  }

  /**
   * {@code build --progress plain --build-arg BASE=BASE REST...}: the command line most build tests
   * run, the Dockerfile starting {@code ARG BASE / FROM ${BASE}}.
   */
  static String[] buildArgs(Reference base, String... rest) {
    List<String> args =
        new ArrayList<>(List.of("build", "--progress", "plain", "--build-arg", "BASE=" + base));
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  /**
   * Makes {@code dir} a build context whose Dockerfile is {@code ARG BASE / FROM ${BASE}} then
   * {@code steps}, for {@link #buildArgs}.
   */
  static Path context(Path dir, String steps) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("Dockerfile"), "ARG BASE\nFROM ${BASE}\n" + steps);
    return dir;
  }

  /** Runs a tool (skopeo, tar) and returns its output; its exit status must be 0. */
  static String command(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int status = p.waitFor();
    if (status != 0) {
      throw new AssertionError(String.join(" ", argv) + " exited " + status + ": " + out);
    }
    return out;
  }

  /** The host's mount table lines that mention {@code dir}: mounts the test could leave. */
  static List<String> mountsUnder(Path dir) throws IOException {
    String needle = dir.toAbsolutePath().toString();
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(needle))
        .toList();
  }

  /** Applies every layer of {@code image} into a new directory: the image's file tree. */
  static Path unpack(Store store, StoredImage image, Path dir) throws IOException {
    new Exporter(store).rootfs(image.manifest().layers(), dir);
    return dir;
  }
}
