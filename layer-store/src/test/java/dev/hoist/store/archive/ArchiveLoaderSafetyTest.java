package dev.hoist.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Platform;
import dev.hoist.store.Store;
import dev.hoist.store.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken archives: refused with a message naming the archive, nothing named. */
class ArchiveLoaderSafetyTest {
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

  /** A tiny tar builder: files and links, in order. */
  static final class Tar implements AutoCloseable {
    final TarArchiveOutputStream out;

    Tar(Path file) throws IOException {
      OutputStream os = Files.newOutputStream(file);
      out = new TarArchiveOutputStream(os);
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Tar file(String name, byte[] bytes) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(bytes.length);
      out.putArchiveEntry(e);
      out.write(bytes);
      out.closeArchiveEntry();
      return this;
    }

    Tar file(String name, String text) throws IOException {
      return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    Tar symlink(String name, String target) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(target);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  private static ImageConfig configFor(byte[]... layers) {
    ImageConfig.Builder b = new ImageConfig.Builder(Platform.of("linux", "amd64"));
    for (byte[] l : layers) {
      b.addLayer(Digest.sha256(l), History.of(null, "x", null, false));
    }
    return b.build();
  }

  private void assertNothingLoaded() throws IOException {
    assertEquals(List.of(), store.indexEntries());
    try (var s = Files.list(store.tempDir())) {
      assertEquals(List.of(), s.toList(), "temp files left behind");
    }
  }

  @Test
  void load_refusesAnEntryThatClimbsOut() throws IOException {
    Path archive = dir.resolve("evil.tar");
    try (Tar t = new Tar(archive)) {
      t.file("../../etc/evil", "x").file("manifest.json", "[]");
    }
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(archive));
    assertTrue(e.getMessage().contains("'../../etc/evil'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("archive " + archive), e.getMessage());
    assertFalse(Files.exists(dir.resolve("etc")));
    assertNothingLoaded();
  }

  @Test
  void load_refusesALinkPointingOutOfTheArchive() throws IOException {
    Path archive = dir.resolve("evil.tar");
    try (Tar t = new Tar(archive)) {
      t.symlink("layer/layer.tar", "../../../etc/passwd").file("manifest.json", "[]");
    }
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(archive));
    assertTrue(e.getMessage().contains("points out of the archive"), e.getMessage());
    assertNothingLoaded();
  }

  @Test
  void load_refusesALayerThatIsNotWhatTheConfigSays() throws IOException {
    byte[] layer = TestImages.layerTar(1, 2, 100);
    byte[] other = TestImages.layerTar(2, 2, 100);
    ImageConfig config = configFor(layer);
    Path archive = dir.resolve("bad.tar");
    try (Tar t = new Tar(archive)) {
      t.file("c.json", config.raw())
          .file("l/layer.tar", other)
          .file(
              "manifest.json",
              "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l/layer.tar\"]}]");
    }
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(archive));
    assertTrue(e.getMessage().contains(Digest.sha256(layer).toString()), e.getMessage());
    assertNothingLoaded();
  }

  @Test
  void load_followsTheLayerLinksOlderDockerWrites() throws IOException {
    byte[] layer = TestImages.layerTar(1, 2, 100);
    ImageConfig config = configFor(layer, layer);
    Path archive = dir.resolve("links.tar");
    try (Tar t = new Tar(archive)) {
      t.file("a/layer.tar", layer)
          .symlink("b/layer.tar", "../a/layer.tar")
          .file(config.digest().hex() + ".json", config.raw())
          .file(
              "manifest.json",
              "[{\"Config\":\""
                  + config.digest().hex()
                  + ".json\",\"RepoTags\":[\"linked:1\"],\"Layers\":[\"a/layer.tar\",\"b/layer.tar\"]}]");
    }
    List<LoadedImage> loaded = new ArchiveLoader(store).load(archive);
    assertEquals(config.digest(), loaded.get(0).id());
    assertEquals(2, store.resolve("linked:1").manifest().layers().size());
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
  }

  @Test
  void load_refusesAnOciBlobWhoseBytesDoNotMatchItsName() throws IOException {
    Path archive = dir.resolve("oci.tar");
    byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
    String wrongName = Digest.sha256("other".getBytes(StandardCharsets.UTF_8)).hex();
    try (Tar t = new Tar(archive)) {
      t.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
          .file("blobs/sha256/" + wrongName, manifest)
          .file(
              "index.json",
              "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                  + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
                  + wrongName
                  + "\",\"size\":2}]}");
    }
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(archive));
    assertTrue(e.getMessage().contains("sha256:" + wrongName), e.getMessage());
    assertNothingLoaded();
  }

  @Test
  void load_explainsAFileThatIsNoImageArchive() throws IOException {
    Path archive = dir.resolve("other.tar");
    try (Tar t = new Tar(archive)) {
      t.file("hello.txt", "hi");
    }
    ArchiveException e =
        assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(archive));
    assertTrue(e.getMessage().contains("neither manifest.json"), e.getMessage());
    Path notTar = Files.writeString(dir.resolve("x.txt"), "this is not a tar at all".repeat(40));
    e = assertThrows(ArchiveException.class, () -> new ArchiveLoader(store).load(notTar));
    assertTrue(e.getMessage().startsWith("archive " + notTar), e.getMessage());
    assertNothingLoaded();
  }
}
