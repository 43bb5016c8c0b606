package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.testkit.CompressionBombs;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression bombs (a small tar then 1.06 GiB of zeros, gzipped at about 1 000:1 into 1 MiB)
 * through the real CLI with the default limits: as a base image's layer, as an ADD source, as the
 * layer of a {@code hoist load} archive and as a pulled layer given to {@code hoist save}. Each is
 * refused in one line that names the layer or archive and {@code HOIST_MAX_LAYER_RATIO}, exit 1,
 * the store passes fsck and nothing is tagged.
 */
class DecompressionBombBuildTest {
  private static final long ZEROS = (1L << 30) + (64L << 20);

  @TempDir static Path shared;
  @TempDir Path tmp;
  static LocalRegistry registry;
  static CompressionBombs.Bomb bomb;

  @BeforeAll
  static void makeBomb() throws IOException {
    registry = LocalRegistry.startPlain();
    bomb = CompressionBombs.gzipLayer(shared.resolve("bomb.tar.gz"), ZEROS);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void fromABombImage_failsNamingTheLayer() throws IOException {
    Reference image = pushBombImage();
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "ARG BASE\nFROM ${BASE}\nRUN true\n");
    Path root = tmp.resolve("store");

    HoistRunner.Result r =
        HoistRunner.inStore(
            root, BuildFixtures.buildArgs(image, "-t", "bombed:1", context.toString()));

    assertRefused(r, "layer " + layerDigest());
    assertStoreWholeAndUntagged(root, "bombed:1");
  }

  @Test
  void addOfABombArchive_failsNamingTheArchive() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("context"));
    Files.copy(bomb.file(), context.resolve("payload.tar.gz"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nADD payload.tar.gz /x/\n");
    Path root = tmp.resolve("store");

    HoistRunner.Result r =
        HoistRunner.inStore(
            root, "build", "--progress", "plain", "-t", "added:1", context.toString());

    assertRefused(r, "archive payload.tar.gz");
    assertStoreWholeAndUntagged(root, "added:1");
  }

  @Test
  void loadOfAnArchiveWithABombLayer_failsNamingTheLayer() throws IOException {
    Path archive = tmp.resolve("bomb-archive.tar");
    byte[] config = config().raw();
    String manifest =
        "[{\"Config\":\"config.json\",\"RepoTags\":[\"loaded:1\"],\"Layers\":[\"layer.tar.gz\"]}]";
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
      entry(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
      entry(tar, "config.json", config);
      TarArchiveEntry e = new TarArchiveEntry("layer.tar.gz");
      e.setSize(bomb.compressedSize());
      tar.putArchiveEntry(e);
      Files.copy(bomb.file(), tar);
      tar.closeArchiveEntry();
    }
    Path root = tmp.resolve("store");

    HoistRunner.Result r = HoistRunner.inStore(root, "load", "-i", archive.toString());

    assertRefused(r, "layer layer.tar.gz");
    assertStoreWholeAndUntagged(root, "loaded:1");
  }

  @Test
  void saveOfAPulledBombImage_failsNamingTheLayerAndWritesNoArchive() throws IOException {
    Reference image = pushBombImage();
    Path root = tmp.resolve("store");
    HoistRunner.Result pull = HoistRunner.inStore(root, "pull", image.toString());
    assertEquals(0, pull.status(), pull.stderr());
    Path out = tmp.resolve("saved.tar");

    HoistRunner.Result r =
        HoistRunner.inStore(root, "save", "-o", out.toString(), image.toString());

    assertRefused(r, "layer " + layerDigest());
    assertTrue(Files.notExists(out), "a partial archive was left at " + out);
    HoistRunner.Result fsck = HoistRunner.inStore(root, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
  }

  private static void assertRefused(HoistRunner.Result r, String names) {
    assertEquals(1, r.status(), r.stdout() + r.stderr());
    // The progress shows the step's error too; the CLI's own failure is the "hoist: " line.
    List<String> errors = r.stderr().lines().filter(l -> l.startsWith("hoist: ")).toList();
    assertEquals(1, errors.size(), r.stderr());
    String line = errors.get(0);
    assertTrue(line.contains(names), line);
    assertTrue(line.contains("more than 100 times its compressed size"), line);
    assertTrue(line.contains("HOIST_MAX_LAYER_RATIO"), line);
    assertTrue(!r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
  }

  private static void assertStoreWholeAndUntagged(Path root, String tag) throws IOException {
    HoistRunner.Result fsck = HoistRunner.inStore(root, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
    try (Store store = Store.open(root)) {
      assertEquals(Optional.empty(), store.find(Reference.parse(tag)), tag + " is tagged");
    }
  }

  private static ImageConfig config() {
    return new ImageConfig.Builder(Platform.host())
        .created(Optional.of(Instant.parse("2024-01-01T00:00:00Z")))
        .addLayer(
            Digest.parse(bomb.diffId()),
            History.of(Instant.parse("2024-01-01T00:00:00Z"), "bomb", null, false))
        .build();
  }

  private Digest layerDigest() throws IOException {
    try (InputStream in = Files.newInputStream(bomb.file())) {
      java.security.MessageDigest sha = Digest.newMessageDigest(Digest.SHA256);
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      return Digest.of(Digest.SHA256, sha.digest());
    }
  }

  /** Pushes a one-layer image whose layer is the bomb, with its true diff id in the config. */
  private Reference pushBombImage() throws IOException {
    try (Store seed = Store.open(tmp.resolve("seed-store"))) {
      Descriptor layer;
      try (InputStream in = Files.newInputStream(bomb.file())) {
        layer = seed.put(MediaTypes.OCI_LAYER_GZIP, in);
      }
      return BuildFixtures.push(registry, seed, layer, config(), "bomb:latest");
    }
  }

  private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
