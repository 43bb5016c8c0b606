package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image layout whose {@code index.json} names, as tag {@code t}, a two-platform image: an
 * OCI index or a Docker manifest list of a linux/amd64 image (two gzip layers) and a linux/arm64
 * image (one), written byte for byte by the test so that every digest is known.
 *
 * @param index the index or manifest list, as written
 * @param manifests its image manifests, amd64 then arm64
 */
record TwoPlatformLayout(Path dir, Index index, List<Manifest> manifests) {
  static final String TAG = "t";

  /** Writes the layout into {@code dir}; {@code docker} picks Docker media types over OCI's. */
  static TwoPlatformLayout write(Path dir, boolean docker) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Platform amd64 = Platform.of("linux", "amd64");
    Platform arm64 = Platform.of("linux", "arm64");
    List<Manifest> manifests =
        List.of(
            image(dir, docker, amd64, "amd.txt", "bin.txt"), image(dir, docker, arm64, "arm.txt"));
    List<Descriptor> children =
        List.of(
            manifests.get(0).descriptor().withPlatform(amd64),
            manifests.get(1).descriptor().withPlatform(arm64));
    Index index =
        Index.of(
            Optional.of(docker ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX),
            children,
            Map.of());
    put(dir, index.raw());
    Index top =
        Index.of(
            Optional.empty(),
            List.of(index.descriptor().withAnnotations(Map.of(OciLayoutDir.REF_NAME, TAG))),
            Map.of());
    Files.write(dir.resolve("index.json"), top.raw());
    return new TwoPlatformLayout(dir, index, manifests);
  }

  /** The path of blob {@code d} in the layout. */
  Path blob(Digest d) {
    return dir.resolve("blobs/sha256").resolve(d.hex());
  }

  /**
   * Writes the same image as skopeo's {@code dir:} transport lays it out ({@code manifest.json},
   * {@code HEX.manifest.json} per platform, blobs by hex), and returns {@code dir:TARGET}: skopeo's
   * {@code oci:} transport only finds OCI media types in {@code index.json}, so a Docker manifest
   * list is pushed from here.
   */
  String asSkopeoDir(Path target) throws IOException {
    Files.createDirectories(target);
    Files.writeString(target.resolve("version"), "Directory Transport Version: 1.1\n");
    Files.write(target.resolve("manifest.json"), index.raw());
    try (java.util.stream.Stream<Path> blobs = Files.list(dir.resolve("blobs/sha256"))) {
      for (Path b : blobs.toList()) {
        Files.copy(b, target.resolve(b.getFileName()));
      }
    }
    for (Manifest m : manifests) {
      Files.write(target.resolve(m.digest().hex() + ".manifest.json"), m.raw());
    }
    return "dir:" + target;
  }

  private static Manifest image(Path dir, boolean docker, Platform platform, String... files)
      throws IOException {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    ImageConfig.Builder config = new ImageConfig.Builder(platform).created(Optional.of(created));
    List<Descriptor> layers = new ArrayList<>();
    for (String file : files) {
      byte[] tar = StoreCommandsTest.layer(file, platform + " " + file);
      config.addLayer(Digest.sha256(tar), History.of(created, "COPY " + file + " /", null, false));
      layers.add(
          Descriptor.of(
              docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP,
              put(dir, gzip(tar))));
    }
    byte[] configRaw = config.build().raw();
    Descriptor c =
        Descriptor.of(
            docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, put(dir, configRaw));
    Manifest m =
        Manifest.of(docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST, c, layers);
    put(dir, m.raw());
    return m;
  }

  private static byte[] put(Path dir, byte[] bytes) throws IOException {
    Files.write(dir.resolve("blobs/sha256").resolve(Digest.sha256(bytes).hex()), bytes);
    return bytes;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
