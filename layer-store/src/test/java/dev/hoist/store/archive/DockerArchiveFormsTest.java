package dev.hoist.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.TestImages;
import dev.hoist.store.archive.ArchiveLoaderSafetyTest.Tar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes docker-archives come in besides the classic one hoist writes. */
class DockerArchiveFormsTest {
  @TempDir Path dir;
  Store store;

  @BeforeEach
  void setUp() throws IOException {
    store = Store.open(dir.resolve("store"));
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  private static ImageConfig configFor(byte[]... layers) {
    ImageConfig.Builder b = new ImageConfig.Builder(Platform.of("linux", "amd64"));
    for (byte[] l : layers) {
      b.addLayer(Digest.sha256(l), History.of(null, "x", null, false));
    }
    return b.build();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  @Test
  void load_readsTheDocker25FormWithBlobsAndAnIndexAndPrefersManifestJson() throws IOException {
    byte[] layer = TestImages.layerTar(5, 3, 500);
    ImageConfig config = configFor(layer);
    Descriptor configD = Descriptor.of(MediaTypes.OCI_CONFIG, config.raw());
    Descriptor layerD = Descriptor.of(MediaTypes.OCI_LAYER, layer);
    Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, configD, List.of(layerD));
    Index index =
        Index.of(
            List.of(
                manifest
                    .descriptor()
                    .withAnnotations(
                        Map.of(
                            "io.containerd.image.name", "docker.io/library/app:2",
                            "org.opencontainers.image.ref.name", "2"))));
    Path archive = dir.resolve("docker25.tar");
    try (Tar t = new Tar(archive)) {
      t.file("blobs/sha256/" + layerD.digest().hex(), layer)
          .file("blobs/sha256/" + configD.digest().hex(), config.raw())
          .file("blobs/sha256/" + manifest.digest().hex(), manifest.raw())
          .file("index.json", index.raw())
          .file(
              "manifest.json",
              "[{\"Config\":\"blobs/sha256/"
                  + configD.digest().hex()
                  + "\",\"RepoTags\":[\"app:2\"],\"Layers\":[\"blobs/sha256/"
                  + layerD.digest().hex()
                  + "\"]}]")
          .file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    }
    List<LoadedImage> loaded = new ArchiveLoader(store).load(archive);
    assertEquals(1, loaded.size());
    assertEquals(List.of(Reference.parse("app:2")), loaded.get(0).names());
    StoredImage image = store.resolve("app:2");
    assertEquals(config.digest(), image.id());
    assertEquals(layerD.digest(), image.manifest().layers().get(0).digest());
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
  }

  @Test
  void load_keepsAGzippedLayerGzippedAfterCheckingItsDiffId() throws IOException {
    byte[] layer = TestImages.layerTar(6, 2, 500);
    byte[] gz = gzip(layer);
    ImageConfig config = configFor(layer);
    Path archive = dir.resolve("gz-layer.tar");
    try (Tar t = new Tar(archive)) {
      t.file("l.tar.gz", gz)
          .file("c.json", config.raw())
          .file(
              "manifest.json",
              "[{\"Config\":\"c.json\",\"RepoTags\":[\"gz:1\"],\"Layers\":[\"l.tar.gz\"]}]");
    }
    new ArchiveLoader(store).load(archive);
    Descriptor stored = store.resolve("gz:1").manifest().layers().get(0);
    assertEquals(MediaTypes.OCI_LAYER_GZIP, stored.mediaType());
    assertEquals(Digest.sha256(gz), stored.digest());
  }

  @Test
  void saveAgain_decompressesAGzippedLayerForDockerLoad() throws IOException {
    TestImages.TestImage image = TestImages.put(store, 7, 2); // gzip layers
    store.tag(Reference.parse("gz:2"), image.descriptor());
    Path out = dir.resolve("out.tar");
    new ArchiveSaver(store).save(List.of("gz:2"), out, ArchiveFormat.DOCKER_ARCHIVE);
    try (Store other = Store.open(dir.resolve("other"))) {
      new ArchiveLoader(other).load(out);
      StoredImage back = other.resolve("gz:2");
      assertEquals(image.id(), back.id());
      assertEquals(
          image.config().diffIds(),
          back.manifest().layers().stream().map(Descriptor::digest).toList());
    }
  }
}
