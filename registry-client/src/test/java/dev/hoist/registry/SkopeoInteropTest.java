package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What hoist pushes skopeo reads byte for byte; what skopeo pushes hoist pulls. */
class SkopeoInteropTest {
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

  static String skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "skopeo finished");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  static byte[] skopeoRaw(String ref) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", ref)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "skopeo inspect --raw " + ref);
    return out;
  }

  private static RegistryClient client() {
    return RegistryClient.builder().build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void whatHoistPushes_skopeoInspectsAndCopiesWithIdenticalManifests(boolean docker)
      throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 31, docker, "amd64", 3000, 70_000);
    String ref = registry.host() + "/interop/pushed-" + docker + ":1";
    try (RegistryClient c = client()) {
      c.push(Reference.parse(ref), m.descriptor(), src, Optional.empty(), TransferListener.NONE);
    }
    assertArrayEquals(m.raw(), skopeoRaw("docker://" + ref));
    String inspect = skopeo("inspect", "--tls-verify=false", "docker://" + ref);
    assertTrue(inspect.contains(m.layers().get(1).digest().toString()), inspect);
    // dir: keeps the manifest as served (oci: would convert a Docker manifest to OCI)
    Path dir = tmp.resolve("copied");
    skopeo("copy", "--src-tls-verify=false", "docker://" + ref, "dir:" + dir);
    assertArrayEquals(m.raw(), Files.readAllBytes(dir.resolve("manifest.json")));
    assertArrayEquals(
        src.read(m.layers().get(1).digest()),
        Files.readAllBytes(dir.resolve(m.layers().get(1).digest().hex())));
  }

  @Test
  void whatHoistPushesAsAnIndex_skopeoReadsByteForByte() throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Index idx = TestImages.index(src, 32);
    String ref = registry.host() + "/interop/index:1";
    try (RegistryClient c = client()) {
      c.push(Reference.parse(ref), idx.descriptor(), src, Optional.empty(), TransferListener.NONE);
    }
    assertArrayEquals(idx.raw(), skopeoRaw("docker://" + ref));
    for (Descriptor d : idx.manifests()) {
      assertArrayEquals(
          src.read(d.digest()),
          skopeoRaw("docker://" + registry.host() + "/interop/index@" + d.digest()));
    }
  }

  /** Makes {@code dir} an OCI layout whose index names {@code root} as {@code tag}. */
  private static void ociLayout(Path dir, Descriptor root, String tag) throws IOException {
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Index index =
        Index.of(
            Optional.empty(),
            List.of(root.withAnnotations(Map.of("org.opencontainers.image.ref.name", tag))),
            Map.of());
    Files.write(dir.resolve("index.json"), index.raw());
  }

  @ParameterizedTest
  @ValueSource(strings = {"v2s2", "oci"})
  void whatSkopeoPushes_hoistPulls(String format) throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("layout"));
    Manifest m = TestImages.image(src, 33, false, "amd64", 5000, 9000);
    ociLayout(tmp.resolve("layout"), m.descriptor(), "t");
    String ref = registry.host() + "/interop/skopeo-" + format + ":1";
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--format",
        format,
        "oci:" + tmp.resolve("layout") + ":t",
        "docker://" + ref);
    byte[] raw = skopeoRaw("docker://" + ref);
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    try (RegistryClient c = client()) {
      PullResult r = c.pull(Reference.parse(ref), Platform.host(), dst, TransferListener.NONE);
      assertArrayEquals(raw, r.manifest().raw());
      assertEquals(
          format.equals("oci") ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST,
          r.manifest().mediaType());
      for (Descriptor d : m.layers()) {
        assertArrayEquals(src.read(d.digest()), dst.read(d.digest()));
      }
    }
  }

  @Test
  void anOciIndexSkopeoPushes_hoistPullsForEachPlatform() throws Exception {
    TestBlobStore src = new TestBlobStore(tmp.resolve("layout"));
    Index idx = TestImages.index(src, 34);
    ociLayout(tmp.resolve("layout"), idx.descriptor(), "t");
    String ref = registry.host() + "/interop/skopeo-index:1";
    skopeo(
        "copy",
        "--all",
        "--dest-tls-verify=false",
        "oci:" + tmp.resolve("layout") + ":t",
        "docker://" + ref);
    byte[] raw = skopeoRaw("docker://" + ref);
    try (RegistryClient c = client()) {
      for (String platform : List.of("linux/amd64", "linux/arm64")) {
        TestBlobStore dst = new TestBlobStore(tmp.resolve("dst-" + platform.replace('/', '-')));
        PullResult r =
            c.pull(Reference.parse(ref), Platform.parse(platform), dst, TransferListener.NONE);
        assertArrayEquals(raw, r.index().orElseThrow().raw());
        assertEquals(
            platform,
            r.manifest()
                    .config()
                    .digest()
                    .equals(
                        Manifest.parse(src.read(idx.manifests().get(0).digest())).config().digest())
                ? "linux/amd64"
                : "linux/arm64");
      }
    }
  }
}
