package dev.hoist.store;

import dev.hoist.image.Compression;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small images made in code: layers of seeded random files, so each seed gives the same bytes. */
public final class TestImages {
  private TestImages() {}

  /** An image put into a store: its manifest, config and layer descriptors. */
  public record TestImage(Manifest manifest, ImageConfig config, List<Descriptor> layers) {
    public Descriptor descriptor() {
      return manifest.descriptor();
    }

    public Digest id() {
      return config.digest();
    }
  }

  /**
   * One layer tar: {@code files} random files of up to {@code maxBytes} each, made from {@code
   * seed}.
   */
  public static byte[] layerTar(long seed, int files, int maxBytes) throws IOException {
    Random random = new Random(seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry dir = new TarArchiveEntry("data-" + seed + "/");
      dir.setMode(040755);
      dir.setModTime(0);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      for (int i = 0; i < files; i++) {
        byte[] content = new byte[random.nextInt(maxBytes + 1)];
        random.nextBytes(content);
        TarArchiveEntry e = new TarArchiveEntry("data-" + seed + "/file-" + i + ".bin");
        e.setMode(0100644);
        e.setSize(content.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  /** An OCI image of {@code layers} gzip layers made from {@code seed}, stored in {@code store}. */
  public static TestImage put(Store store, long seed, int layers) throws IOException {
    return put(store, seed, layers, Compression.GZIP, false);
  }

  /**
   * An image of {@code layers} layers made from {@code seed}, compressed as asked, as an OCI or a
   * Docker schema 2 manifest, stored in {@code store} (not named).
   */
  public static TestImage put(
      Store store, long seed, int layers, Compression compression, boolean docker)
      throws IOException {
    ImageConfig.Builder config =
        new ImageConfig.Builder(Platform.of("linux", "amd64"))
            .created(Optional.of(Instant.parse("2024-01-02T03:04:05Z").plusSeconds(seed)))
            .config(
                new ContainerConfig(
                    Optional.empty(),
                    java.util.Set.of(),
                    List.of("PATH=/usr/bin:/bin", "SEED=" + seed),
                    Optional.empty(),
                    Optional.of(List.of("/bin/sh")),
                    java.util.Set.of(),
                    Optional.empty(),
                    java.util.Map.of(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty()));
    List<Descriptor> layerDescriptors = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      byte[] tar = layerTar(seed * 1000 + i, 3, 4096);
      byte[] blob = compression == Compression.GZIP ? gzip(tar) : tar;
      String type = MediaTypes.layerType(compression, docker);
      layerDescriptors.add(store.putBytes(type, blob));
      config.addLayer(
          Digest.sha256(tar),
          History.of(
              Instant.parse("2024-01-02T03:04:05Z"), "/bin/sh -c make layer " + i, null, false));
    }
    config.addHistory(History.of(null, "/bin/sh -c #(nop) CMD [\"/bin/sh\"]", null, true));
    ImageConfig built = config.build();
    Descriptor configDescriptor =
        store.putBytes(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, built.raw());
    Manifest manifest =
        Manifest.of(
            docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST,
            configDescriptor,
            layerDescriptors);
    store.putBytes(manifest.mediaType(), manifest.raw());
    return new TestImage(manifest, built, layerDescriptors);
  }
}
