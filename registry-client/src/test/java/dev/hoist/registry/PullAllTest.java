package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RegistryClient#pullAll} against a real registry an index was pushed to with {@code skopeo
 * copy --all}: every platform arrives byte for byte, and a bad blob leaves no manifest behind.
 */
class PullAllTest {
  static LocalRegistry registry;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Pushes a two-platform index made from {@code seed} to {@code repo}:1 with skopeo. */
  private Index pushedIndex(String repo, long seed, TestBlobStore src) throws Exception {
    Index idx = TestImages.index(src, seed);
    Files.writeString(tmp.resolve("src/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Index top =
        Index.of(
            Optional.empty(),
            List.of(
                idx.descriptor().withAnnotations(Map.of("org.opencontainers.image.ref.name", "t"))),
            Map.of());
    Files.write(tmp.resolve("src/index.json"), top.raw());
    SkopeoInteropTest.skopeo(
        "copy",
        "--all",
        "--dest-tls-verify=false",
        "oci:" + tmp.resolve("src") + ":t",
        "docker://" + registry.host() + "/" + repo + ":1");
    return idx;
  }

  @Test
  void pullAll_fetchesTheIndexEveryManifestAndEveryBlobByteForByte() throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Index idx = pushedIndex("all/ok", 41, src);
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    Reference ref = Reference.parse(registry.host() + "/all/ok:1");
    try (RegistryClient c = RegistryClient.builder().build()) {
      PullAllResult r = c.pullAll(ref, dst, TransferListener.NONE);
      assertEquals(idx.descriptor(), r.root());
      assertEquals(2, r.manifests().size());
      assertTrue(r.bytesDownloaded() > 4000, "bytes " + r.bytesDownloaded());
      assertArrayEquals(idx.raw(), dst.read(idx.digest()));
      for (Descriptor child : idx.manifests()) {
        assertArrayEquals(src.read(child.digest()), dst.read(child.digest()));
        Manifest m = Manifest.parse(src.read(child.digest()));
        assertArrayEquals(src.read(m.config().digest()), dst.read(m.config().digest()));
        for (Descriptor layer : m.layers()) {
          assertArrayEquals(src.read(layer.digest()), dst.read(layer.digest()));
        }
      }
      assertEquals(0, c.pullAll(ref, dst, TransferListener.NONE).bytesDownloaded());
    }
  }

  @Test
  void pullAll_ofOneManifest_fetchesThatImage() throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 42, true, "amd64", 3000);
    Reference ref = Reference.parse(registry.host() + "/all/single:1");
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    try (RegistryClient c = RegistryClient.builder().build()) {
      c.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      PullAllResult r = c.pullAll(ref, dst, TransferListener.NONE);
      assertEquals(m.descriptor(), r.root());
      assertEquals(List.of(m), r.manifests());
      assertArrayEquals(m.raw(), dst.read(m.digest()));
      assertArrayEquals(src.read(m.layers().get(0).digest()), dst.read(m.layers().get(0).digest()));
    }
  }

  @Test
  void pullAll_withACorruptLayerInTheRegistry_failsAndStoresNoManifestNorIndex() throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Index idx = pushedIndex("all/corrupt", 43, src);
    Manifest arm = Manifest.parse(src.read(idx.manifests().get(1).digest()));
    String hex = arm.layers().get(0).digest().hex();
    Path data =
        registry
            .storage()
            .resolve("docker/registry/v2/blobs/sha256")
            .resolve(hex.substring(0, 2))
            .resolve(hex)
            .resolve("data");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 1;
    Files.write(data, bytes);
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    try (RegistryClient c = RegistryClient.builder().build()) {
      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  c.pullAll(
                      Reference.parse(registry.host() + "/all/corrupt:1"),
                      dst,
                      TransferListener.NONE));
      assertTrue(e.getMessage().contains(hex), e.getMessage());
    }
    assertFalse(dst.contains(idx.digest()), "index stored");
    for (Descriptor child : idx.manifests()) {
      assertFalse(dst.contains(child.digest()), "manifest " + child.digest() + " stored");
    }
  }
}
