package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.BlobOrigins.Origin;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Manifest;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.store.Store;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob origins through the CLI against a real docker-registry: a pull records where each blob came
 * from, a push to another repository of that registry (plain {@code push} or {@code build --push})
 * mounts those blobs instead of uploading them, prune forgets the origins of the blobs it removes,
 * and a push of a corrupt stored blob fails before the registry has it.
 */
class BlobOriginsCliTest {
  static LocalRegistry registry;

  @TempDir Path dir;
  Path root;
  Manifest manifest;
  List<Descriptor> layers;

  @BeforeAll
  static void start() {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  HoistRunner.Result hoist(Path store, String... args) {
    return HoistRunner.inStore(Map.of("HOME", dir.toString()), store, args);
  }

  /**
   * local/app:1, two layers of random bytes (one larger than a transfer buffer), different in each
   * test: the registry is shared, and a blob one test pushed must not be there for another.
   */
  @BeforeEach
  void storeOneImage(TestInfo test) throws IOException {
    root = dir.resolve("root");
    Random random = new Random(test.getDisplayName().hashCode());
    manifest =
        TwoLayerImage.store(
            root, "a.bin", randomText(random, 700_000), "b.bin", randomText(random, 3_000));
    layers = manifest.layers();
  }

  private static String randomText(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  /** Debug lines of requests that upload blob bytes (a PATCH or the PUT that ends an upload). */
  private static List<String> uploads(String stderr, String repository) {
    return stderr
        .lines()
        .filter(l -> l.matches("debug: (PUT|PATCH) .*/v2/" + repository + "/blobs/uploads/.*"))
        .toList();
  }

  /** Debug lines of mounts the registry accepted (201 to the POST; an upload start gets 202). */
  private static List<String> mounts(String stderr, String repository) {
    return stderr
        .lines()
        .filter(l -> l.matches("debug: POST .*/v2/" + repository + "/blobs/uploads/ -> 201"))
        .toList();
  }

  @Test
  void push_mountsTheLayersAPullRecordedInAnotherRepository() throws IOException {
    String source = registry.host() + "/origins/source:1";
    assertEquals(0, hoist(root, "push", "local/app:1", source).status());

    Path other = dir.resolve("other");
    HoistRunner.Result pull = hoist(other, "pull", source);
    assertEquals(0, pull.status(), pull.stderr());
    try (Store store = Store.open(other)) {
      for (Descriptor l : layers) {
        assertEquals(
            List.of(new Origin(registry.host(), "origins/source")), store.origins(l.digest()));
      }
      // Only the origins name the source now: the image is known locally by another name.
      store.tag(Reference.parse("local/copy:1"), manifest.descriptor());
      assertTrue(store.untag(Reference.parse(source)));
    }

    String target = registry.host() + "/origins/target:1";
    HoistRunner.Result push = hoist(other, "--debug", "push", "local/copy:1", target);
    assertEquals(0, push.status(), push.stderr());
    for (Descriptor l : layers) {
      assertTrue(
          push.stdout().contains(l.digest().shortHex() + ": Mounted from another repository"),
          push.stdout());
    }
    assertEquals(List.of(), uploads(push.stderr(), "origins/target"), push.stderr());
    assertEquals(3, mounts(push.stderr(), "origins/target").size(), push.stderr()); // + config
    try (Store store = Store.open(other)) {
      assertEquals(
          List.of("origins/source", "origins/target"),
          store.origins(layers.get(0).digest()).stream().map(Origin::repository).sorted().toList());
    }
  }

  @Test
  void buildPush_mountsTheBaseImageLayersFromTheBaseRepository() throws IOException {
    String base = registry.host() + "/origins/base:1";
    assertEquals(0, hoist(root, "push", "local/app:1", base).status());
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nENV BUILT=yes\n");

    String built = registry.host() + "/origins/built:1";
    HoistRunner.Result build =
        hoist(
            dir.resolve("builder"), "--debug", "build", "--push", "-t", built, context.toString());
    assertEquals(0, build.status(), build.stderr());
    assertEquals(2, mounts(build.stderr(), "origins/built").size(), build.stderr());
    // Only the new config's bytes travel; the base layers do not.
    assertEquals(1, uploads(build.stderr(), "origins/built").size(), build.stderr());
  }

  @Test
  void prune_forgetsTheOriginsOfTheBlobsItRemoves_andFsckStaysClean() throws IOException {
    String source = registry.host() + "/origins/pruned:1";
    assertEquals(0, hoist(root, "push", "local/app:1", source).status());
    Path other = dir.resolve("other");
    assertEquals(0, hoist(other, "pull", source).status());
    Path originDir = other.resolve(".hoist/origins/sha256/" + layers.get(0).digest().hex());
    assertTrue(Files.isDirectory(originDir));
    assertEquals(0, hoist(other, "fsck").status());

    assertEquals(0, hoist(other, "rmi", source).status());
    HoistRunner.Result prune = hoist(other, "prune");
    assertEquals(0, prune.status(), prune.stderr());
    assertFalse(Files.exists(originDir));
    try (Store store = Store.open(other)) {
      assertEquals(List.of(), store.origins(layers.get(0).digest()));
    }
    HoistRunner.Result fsck = hoist(other, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
  }

  @Test
  void push_ofACorruptStoredBlobFailsNamingItAndFsck_andTheRegistryGetsNothing()
      throws IOException {
    Digest corrupt = layers.get(0).digest();
    Path blob = root.resolve("blobs/sha256/" + corrupt.hex());
    blob.toFile().setWritable(true);
    try (FileChannel ch =
        FileChannel.open(blob, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, 1000);
      b.put(0, (byte) (b.get(0) ^ 0x20)).rewind();
      ch.write(b, 1000);
    }

    String target = registry.host() + "/origins/corrupt:1";
    HoistRunner.Result push = hoist(root, "push", "-q", "local/app:1", target);
    assertEquals(1, push.status(), push.stdout());
    assertEquals(1, push.stderr().lines().count(), push.stderr());
    assertTrue(push.stderr().contains(corrupt.toString()), push.stderr());
    assertTrue(push.stderr().contains("hoist fsck"), push.stderr());

    try (RegistryClient client = RegistryClient.builder().build()) {
      assertFalse(client.blobExists(Reference.parse(target), corrupt));
    }
    Path stored =
        registry
            .storage()
            .resolve("docker/registry/v2/blobs/sha256/" + corrupt.hex().substring(0, 2))
            .resolve(corrupt.hex());
    assertFalse(Files.exists(stored), "the registry stored the corrupt blob");
  }
}
