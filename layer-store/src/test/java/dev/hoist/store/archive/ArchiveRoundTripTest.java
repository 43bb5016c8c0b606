package dev.hoist.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Compression;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.TestImages;
import dev.hoist.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** save and load against each other and against skopeo, the reference reader and writer. */
class ArchiveRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Store store;
  TestImage image;

  @BeforeAll
  static void needsSkopeo() {
    // skopeo is installed by CI (Debian package); without it these tests could not check anything.
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo not installed");
  }

  @BeforeEach
  void setUp() throws IOException {
    store = Store.open(dir.resolve("store"));
    image = TestImages.put(store, 42, 3);
    store.tag(Reference.parse("busybox:latest"), image.descriptor());
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  private static List<String> layersOf(String inspectJson) throws IOException {
    List<String> out = new ArrayList<>();
    JSON.readTree(inspectJson).path("Layers").forEach(n -> out.add(n.asText()));
    return out;
  }

  private List<String> diffIds() {
    return image.config().diffIds().stream().map(Digest::toString).toList();
  }

  @ParameterizedTest
  @CsvSource({"b.tar", "b.tar.gz"})
  void saveDockerArchive_skopeoReadsTheSameLayersAndConfig(String file) throws Exception {
    Path out = dir.resolve(file);
    new ArchiveSaver(store).save(List.of("busybox"), out, ArchiveFormat.DOCKER_ARCHIVE);
    if (file.endsWith(".gz")) {
      // skopeo 1.9 reads no gzipped docker-archive (not even one gzip(1) made): unpack it first
      run("gzip", "-d", out.toString());
      out = dir.resolve(file.substring(0, file.length() - 3));
    }
    String inspect = run("skopeo", "inspect", "docker-archive:" + out);
    assertEquals(diffIds(), layersOf(inspect));
    JsonNode config = JSON.readTree(run("skopeo", "inspect", "--config", "docker-archive:" + out));
    assertEquals("SEED=42", config.path("config").path("Env").get(1).asText());
    // skopeo copy validates every layer against its diff id on the way.
    run("skopeo", "copy", "docker-archive:" + out, "oci:" + dir.resolve("copy") + ":x");
  }

  @ParameterizedTest
  @CsvSource({"b.tar", "b.tgz"})
  void saveOciArchive_skopeoReadsTheSameManifest(String file) throws Exception {
    Path out = dir.resolve(file);
    new ArchiveSaver(store).save(List.of("busybox"), out, ArchiveFormat.OCI_ARCHIVE);
    if (file.endsWith(".tgz")) {
      // skopeo reads only plain archives; the gzip must be plain gzip around the same tar
      run("gzip", "-d", out.toString()); // gzip(1) names the result b.tar
      out = dir.resolve("b.tar");
    }
    String inspect = run("skopeo", "inspect", "oci-archive:" + out);
    assertTrue(inspect.contains("\"Digest\": \"" + image.manifest().digest() + "\""), inspect);
    assertEquals(
        image.layers().stream().map(d -> d.digest().toString()).toList(), layersOf(inspect));
  }

  @ParameterizedTest
  @CsvSource({
    "docker-archive, b.tar",
    "docker-archive, b.tar.gz",
    "oci-archive, b.tar",
    "oci-archive, b.tar.gz"
  })
  void saveThenLoad_givesTheSameImageIdAndName(String format, String file) throws IOException {
    Path out = dir.resolve(file);
    new ArchiveSaver(store).save(List.of("busybox"), out, ArchiveFormat.parse(format));
    try (Store other = Store.open(dir.resolve("other"))) {
      List<LoadedImage> loaded = new ArchiveLoader(other).load(out);
      assertEquals(1, loaded.size());
      assertEquals(image.id(), loaded.get(0).id());
      assertEquals(List.of(Reference.parse("busybox")), loaded.get(0).names());
      StoredImage back = other.resolve("busybox");
      assertEquals(image.id(), back.id());
      if (format.equals("oci-archive")) {
        assertEquals(image.manifest(), back.manifest());
      } else {
        assertEquals(
            List.of(MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER, MediaTypes.OCI_LAYER),
            back.manifest().layers().stream().map(Descriptor::mediaType).toList());
        assertEquals(
            diffIds(), back.manifest().layers().stream().map(d -> d.digest().toString()).toList());
      }
      assertTrue(other.fsck().ok(), other.fsck().problems().toString());
    }
  }

  @Test
  void saveById_writesNoRepoTags() throws IOException {
    Path out = dir.resolve("b.tar");
    new ArchiveSaver(store).save(List.of(image.id().shortHex()), out, ArchiveFormat.DOCKER_ARCHIVE);
    try (Store other = Store.open(dir.resolve("other"))) {
      List<LoadedImage> loaded = new ArchiveLoader(other).load(out);
      assertEquals(List.of(), loaded.get(0).names());
      assertEquals(image.id(), other.resolve(image.id().toString()).id());
      assertEquals(1, other.images().size());
    }
  }

  @Test
  void saveTwoImages_sharesNothingTwiceAndLoadsBoth() throws IOException {
    TestImage second = TestImages.put(store, 43, 1, Compression.NONE, false);
    store.tag(Reference.parse("localhost:5000/app:2"), second.descriptor());
    for (ArchiveFormat format : ArchiveFormat.values()) {
      Path out = dir.resolve(format.cliName() + ".tar");
      new ArchiveSaver(store).save(List.of("busybox", "localhost:5000/app:2"), out, format);
      try (Store other = Store.open(dir.resolve("other-" + format))) {
        List<LoadedImage> loaded = new ArchiveLoader(other).load(out);
        assertEquals(2, loaded.size(), format.toString());
        assertEquals(second.id(), other.resolve("localhost:5000/app:2").id());
        assertEquals(image.id(), other.resolve("busybox").id());
      }
    }
  }

  @Test
  void load_readsADockerArchiveThatSkopeoWrote() throws Exception {
    Path archive = dir.resolve("skopeo.tar");
    run(
        "skopeo",
        "copy",
        "oci:" + store.root() + ":docker.io/library/busybox:latest",
        "docker-archive:" + archive + ":busybox:latest");
    try (Store other = Store.open(dir.resolve("other"))) {
      List<LoadedImage> loaded = new ArchiveLoader(other).load(archive);
      assertEquals(image.id(), loaded.get(0).id());
      assertEquals(List.of(Reference.parse("busybox:latest")), loaded.get(0).names());
      assertEquals(image.id(), other.resolve("busybox").id());
    }
  }

  @Test
  void load_readsAnOciArchiveThatSkopeoWrote() throws Exception {
    Path archive = dir.resolve("skopeo-oci.tar");
    run(
        "skopeo",
        "copy",
        "oci:" + store.root() + ":docker.io/library/busybox:latest",
        "oci-archive:" + archive + ":example.com/team/busybox:1.0");
    try (Store other = Store.open(dir.resolve("other"))) {
      List<LoadedImage> loaded = new ArchiveLoader(other).load(archive);
      assertEquals(image.id(), loaded.get(0).id());
      assertEquals(List.of(Reference.parse("example.com/team/busybox:1.0")), loaded.get(0).names());
      assertTrue(other.fsck().ok(), other.fsck().problems().toString());
    }
  }
}
