package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Manifest;
import dev.hoist.store.Store;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hoist copy --all} (and {@code pull --all-platforms}, {@code push} of an index) against a
 * real registry: a two-platform image skopeo pushed goes registry → oci: → store → another
 * repository with the index and every manifest byte for byte, as {@code skopeo inspect --raw} sees
 * them; what --all cannot do is refused in one line.
 */
class CopyAllCliTest {
  static LocalRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Runs skopeo; returns its stdout as bytes, failing the test on a non-zero exit. */
  static byte[] skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("skopeo", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "skopeo finished");
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(err));
      return out;
    } finally {
      Files.delete(err);
    }
  }

  static byte[] raw(String image) throws IOException, InterruptedException {
    return skopeo("inspect", "--raw", "--tls-verify=false", image);
  }

  /** Pushes a fresh two-platform layout to {@code repo}:1 with {@code skopeo copy --all}. */
  TwoPlatformLayout pushed(String repo, boolean docker) throws Exception {
    TwoPlatformLayout layout = TwoPlatformLayout.write(dir.resolve("src-layout"), docker);
    skopeo(
        "copy",
        "--all",
        "--dest-tls-verify=false",
        docker
            ? layout.asSkopeoDir(dir.resolve("src-dir"))
            : "oci:" + layout.dir() + ":" + TwoPlatformLayout.TAG,
        "docker://" + registry.host() + "/" + repo + ":1");
    assertArrayEquals(layout.index().raw(), raw("docker://" + registry.host() + "/" + repo + ":1"));
    return layout;
  }

  /** Asserts {@code repo}:{@code tag} serves the index and each manifest byte for byte. */
  static void assertSameImage(TwoPlatformLayout layout, String repo, String tag) throws Exception {
    String name = "docker://" + registry.host() + "/" + repo;
    assertArrayEquals(layout.index().raw(), raw(name + ":" + tag), "index of " + repo);
    for (Manifest m : layout.manifests()) {
      assertArrayEquals(m.raw(), raw(name + "@" + m.digest()), "manifest " + m.digest());
    }
  }

  static void assertFsckClean(Path store) {
    HoistRunner.Result fsck = HoistRunner.inStore(store, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
  }

  static void assertOk(HoistRunner.Result r) {
    assertEquals(0, r.status(), r.stdout() + r.stderr());
  }

  @ParameterizedTest(name = "docker media types: {0}")
  @ValueSource(booleans = {false, true})
  void copyAll_registryToOciToStoreToRegistry_keepsIndexAndManifestsByteForByte(boolean docker)
      throws Exception {
    String repo = "multi/" + (docker ? "docker" : "oci");
    TwoPlatformLayout layout = pushed(repo + "-src", docker);
    Path oci = dir.resolve("copied-layout");
    Path first = dir.resolve("store1");
    Path second = dir.resolve("store2");

    assertOk(
        HoistRunner.inStore(
            first,
            "copy",
            "--all",
            "docker://" + registry.host() + "/" + repo + "-src:1",
            "oci:" + oci + ":v1"));
    assertEquals(layout.index().digest(), new OciLayoutDir(oci).find(Optional.of("v1")).digest());
    if (!docker) {
      // skopeo's oci: transport reads only OCI media types; a Docker list is checked on the files.
      assertArrayEquals(layout.index().raw(), raw("oci:" + oci + ":v1"));
    }
    for (Path blob : blobs(layout.dir())) {
      assertArrayEquals(
          Files.readAllBytes(blob),
          Files.readAllBytes(oci.resolve("blobs/sha256").resolve(blob.getFileName())),
          "blob " + blob.getFileName());
    }

    assertOk(HoistRunner.inStore(second, "copy", "--all", "oci:" + oci + ":v1", "hoist:local/m:1"));
    assertOk(
        HoistRunner.inStore(
            second,
            "copy",
            "--all",
            "hoist:local/m:1",
            "docker://" + registry.host() + "/" + repo + "-dst:2"));
    assertSameImage(layout, repo + "-dst", "2");
    assertFsckClean(first);
    assertFsckClean(second);
  }

  @Test
  void pullAllPlatforms_thenPush_sendsTheWholeIndex() throws Exception {
    TwoPlatformLayout layout = pushed("multi/pull-src", false);
    Path store = dir.resolve("store");
    String src = registry.host() + "/multi/pull-src:1";
    assertOk(HoistRunner.inStore(store, "pull", "--all-platforms", src));
    try (Store s = Store.open(store)) {
      assertEquals(layout.index().digest(), s.resolve(src).target().digest());
    }
    assertOk(HoistRunner.inStore(store, "push", src, registry.host() + "/multi/pushed:3"));
    assertSameImage(layout, "multi/pushed", "3");
    assertFsckClean(store);
  }

  @Test
  void copyWithoutAll_takesOnePlatformFromAnOciIndex() throws Exception {
    TwoPlatformLayout layout = TwoPlatformLayout.write(dir.resolve("layout"), false);
    Path store = dir.resolve("store");
    assertOk(
        HoistRunner.inStore(
            store,
            "copy",
            "--platform",
            "linux/arm64",
            "oci:" + layout.dir() + ":" + TwoPlatformLayout.TAG,
            "hoist:local/arm:1"));
    try (Store s = Store.open(store)) {
      assertEquals(layout.manifests().get(1).digest(), s.resolve("local/arm:1").target().digest());
      assertFalse(s.contains(layout.manifests().get(0).digest()), "amd64 manifest not copied");
      assertFalse(s.contains(layout.index().digest()), "index not copied");
    }
  }

  @Test
  void copyAllWithACorruptLayer_failsAndLeavesNoManifestOrNameInTheStore() throws Exception {
    TwoPlatformLayout layout = TwoPlatformLayout.write(dir.resolve("layout"), false);
    Descriptor armLayer = layout.manifests().get(1).layers().get(0);
    byte[] bytes = Files.readAllBytes(layout.blob(armLayer.digest()));
    bytes[bytes.length / 2] ^= 1;
    Files.write(layout.blob(armLayer.digest()), bytes);
    Path store = dir.resolve("store");

    HoistRunner.Result r =
        HoistRunner.inStore(
            store,
            "copy",
            "--all",
            "oci:" + layout.dir() + ":" + TwoPlatformLayout.TAG,
            "hoist:local/m:1");

    assertEquals(1, r.status(), r.stdout() + r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains(armLayer.digest().toString()), r.stderr());
    try (Store s = Store.open(store)) {
      assertEquals(List.of(), s.indexEntries());
      assertFalse(s.contains(layout.index().digest()), "index stored");
      for (Manifest m : layout.manifests()) {
        assertFalse(s.contains(m.digest()), "manifest " + m.digest() + " stored");
      }
    }
    assertFsckClean(store);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            List.of("copy", "--all", "--platform", "linux/arm64", "oci:/x:t", "oci:/y:t"),
            "--all copies every platform and --platform linux/arm64 only one"),
        Arguments.of(
            List.of("copy", "--all", "docker-archive:/a.tar", "oci:/y:t"),
            "--all: docker-archive:/a.tar cannot hold a multi-platform index"),
        Arguments.of(
            List.of("copy", "--all", "oci:/x:t", "docker-archive:/b.tar"),
            "--all: docker-archive:/b.tar cannot hold a multi-platform index"),
        Arguments.of(
            List.of("pull", "--all-platforms", "--platform", "linux/amd64", "localhost:1/x:1"),
            "--all-platforms pulls every platform and --platform linux/amd64 only one"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void allWith_anOptionOrTransportItCannotServe_isRefusedInOneLine(
      List<String> args, String message) {
    HoistRunner.Result r = HoistRunner.inStore(dir.resolve("store"), args.toArray(String[]::new));
    assertEquals(1, r.status(), r.stdout() + r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("hoist: " + message), r.stderr());
  }

  /** A store holding a two-platform index named local/partial:1, with only its amd64 image. */
  private Path partlyStored(TwoPlatformLayout layout, String repo) {
    Path store = dir.resolve("store");
    String src = registry.host() + "/" + repo + ":1";
    assertOk(
        HoistRunner.inStore(
            store, "copy", "--platform", "linux/amd64", "docker://" + src, "hoist:local/amd:1"));
    // The index came along with the amd64 image; named, it lists an arm64 image not stored.
    assertOk(
        HoistRunner.inStore(store, "tag", layout.index().digest().toString(), "local/partial:1"));
    return store;
  }

  @Test
  void pushOfAPartlyStoredIndex_pushesItsOnePlatformAndSaysSo() throws Exception {
    TwoPlatformLayout layout = pushed("multi/partial-push", false);
    Path store = partlyStored(layout, "multi/partial-push");

    HoistRunner.Result r =
        HoistRunner.inStore(
            store, "push", "local/partial:1", registry.host() + "/multi/partial-pushed:1");

    assertOk(r);
    assertEquals(
        "hoist: note: local/partial:1 is an index of 2 platforms and only linux/amd64 is stored;"
            + " pushing that one (hoist pull --all-platforms fetches them all)",
        r.stderr().strip());
    assertArrayEquals(
        layout.manifests().get(0).raw(),
        raw("docker://" + registry.host() + "/multi/partial-pushed:1"));
  }

  @Test
  void copyAllOfAStoredIndexWithOnePlatform_isRefusedNamingTheMissingOne() throws Exception {
    TwoPlatformLayout layout = pushed("multi/partial", false);
    Path store = partlyStored(layout, "multi/partial");

    HoistRunner.Result r =
        HoistRunner.inStore(
            store, "copy", "--all", "hoist:local/partial:1", "oci:" + dir.resolve("out") + ":v1");

    assertEquals(1, r.status(), r.stdout() + r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(
        r.stderr()
            .startsWith(
                "hoist: hoist:local/partial:1 holds 1 of the 2 manifests its index "
                    + layout.index().digest()),
        r.stderr());
    assertTrue(r.stderr().contains("(missing: linux/arm64)"), r.stderr());
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  private static List<Path> blobs(Path layout) throws IOException {
    try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
      return s.sorted().toList();
    }
  }
}
