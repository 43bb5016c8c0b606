package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Images made of seeded random layers, written into a {@link TestBlobStore}. */
final class TestImages {
  private TestImages() {}

  static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] gzip(byte[] data) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An image of layers of the given sizes, as a Docker schema 2 or OCI manifest. */
  static Manifest image(TestBlobStore store, long seed, boolean docker, String arch, int... sizes)
      throws IOException {
    List<Descriptor> layers = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      // real gzip (of random bytes) so that tools which sniff compression leave layers alone
      byte[] bytes = gzip(random(seed * 31 + i, sizes[i]));
      layers.add(
          store.put(docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP, bytes));
      diffIds.add("\"" + Digest.sha256(random(seed * 31 + i, sizes[i])) + "\"");
    }
    String config =
        "{\"architecture\":\""
            + arch
            + "\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
            + String.join(",", diffIds)
            + "]},\"history\":[]}";
    Descriptor cfg =
        store.put(
            docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
            config.getBytes(StandardCharsets.UTF_8));
    Manifest m =
        Manifest.of(docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST, cfg, layers);
    store.put(m.mediaType(), m.raw());
    return m;
  }

  /** An OCI index of two small images, for amd64 and arm64. */
  static Index index(TestBlobStore store, long seed) throws IOException {
    Manifest amd = image(store, seed, false, "amd64", 1000, 2000);
    Manifest arm = image(store, seed + 1, false, "arm64", 1500);
    Index idx =
        Index.of(
            Optional.of(MediaTypes.OCI_INDEX),
            List.of(
                amd.descriptor().withPlatform(Platform.of("linux", "amd64")),
                arm.descriptor().withPlatform(Platform.of("linux", "arm64"))),
            Map.of());
    store.put(MediaTypes.OCI_INDEX, idx.raw());
    return idx;
  }
}
