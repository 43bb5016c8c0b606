package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store commands through the CLI entry point, on a temp store with an image made in code. */
class StoreCommandsTest {
  @TempDir Path dir;
  Path root;
  ImageConfig config;
  Manifest manifest;

  record Result(int status, String out, String err) {}

  Result hoist(String... args) {
    HoistRunner.Result r = HoistRunner.inStore(Map.of(), root, args);
    return new Result(r.status(), r.stdout(), r.stderr());
  }

  static byte[] layer(String file, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] c = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(file);
      e.setSize(c.length);
      tar.putArchiveEntry(e);
      tar.write(c);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @BeforeEach
  void storeOneImage() throws IOException {
    root = dir.resolve("root");
    try (Store store = Store.open(root)) {
      byte[] l1 = layer("a.txt", "hello");
      byte[] l2 = layer("b.txt", "world".repeat(300));
      Instant created = Instant.now().minus(Duration.ofHours(2)).minusSeconds(5);
      config =
          new ImageConfig.Builder(Platform.of("linux", "amd64"))
              .created(Optional.of(created))
              .addLayer(
                  Digest.sha256(l1),
                  History.of(created, "/bin/sh -c echo hello > a.txt", null, false))
              .addHistory(History.of(created, "/bin/sh -c #(nop) ENV A=1", null, true))
              .addLayer(Digest.sha256(l2), History.of(created, "COPY b.txt /", null, false))
              .build();
      Descriptor c = store.putBytes(MediaTypes.OCI_CONFIG, config.raw());
      Descriptor d1 = store.putBytes(MediaTypes.OCI_LAYER, l1);
      Descriptor d2 = store.putBytes(MediaTypes.OCI_LAYER, l2);
      manifest = Manifest.of(MediaTypes.OCI_MANIFEST, c, List.of(d1, d2));
      store.putBytes(manifest.mediaType(), manifest.raw());
      store.tag(Reference.parse("busybox"), manifest.descriptor());
    }
  }

  @Test
  void images_printsAnAlignedTableLikeDocker() {
    Result r = hoist("images");
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(
        lines.get(0).matches("REPOSITORY {3}TAG {6}IMAGE ID {7}CREATED {7}SIZE"), lines.get(0));
    String id = config.digest().shortHex();
    assertTrue(
        lines.get(1).matches("busybox {6}latest {3}" + id + " {3}2 hours ago {3}[0-9.]+kB"),
        lines.get(1));
  }

  @Test
  void images_jsonAndDigestsAndQuiet() throws IOException {
    Result json = hoist("images", "--format", "json");
    JsonNode n = new ObjectMapper().readTree(json.out().lines().findFirst().orElseThrow());
    assertEquals("busybox", n.path("Repository").asText());
    assertEquals("latest", n.path("Tag").asText());
    assertEquals(config.digest().shortHex(), n.path("ID").asText());
    assertEquals(manifest.digest().toString(), n.path("Digest").asText());
    assertTrue(hoist("images", "--digests").out().contains(manifest.digest().toString()));
    assertEquals(config.digest().shortHex() + "\n", hoist("images", "-q").out());
  }

  @Test
  void inspect_printsTheConfigOrWithManifestBoth() throws IOException {
    Result r = hoist("inspect", "busybox");
    assertEquals(0, r.status(), r.err());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(config.raw()), json.readTree(r.out()));
    JsonNode both = json.readTree(hoist("inspect", "--manifest", config.digest().shortHex()).out());
    assertEquals(config.digest().toString(), both.path("Id").asText());
    assertEquals(json.readTree(manifest.raw()), both.path("Manifest"));
    assertEquals("docker.io/library/busybox:latest", both.path("RepoTags").get(0).asText());
  }

  @Test
  void history_showsOneRowAStepNewestFirst() {
    Result r = hoist("history", "busybox");
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith("IMAGE"), r.out());
    assertTrue(lines.get(1).startsWith(config.digest().shortHex()), r.out());
    assertTrue(lines.get(1).contains("COPY b.txt /"), r.out());
    assertTrue(lines.get(2).startsWith("<missing>") && lines.get(2).contains(" 0B"), r.out());
    assertTrue(lines.get(3).contains("/bin/sh -c echo hello > a.txt"), r.out());
  }

  @Test
  void tagAndRmi_nameAndUnnameAnImage() {
    assertEquals(0, hoist("tag", "busybox", "example.com/me/box:v1").status());
    assertEquals(3, hoist("images").out().lines().count());
    Result rmi = hoist("rmi", "busybox");
    assertEquals(0, rmi.status(), rmi.err());
    assertEquals("Untagged: busybox:latest\n", rmi.out());
    Result last = hoist("rmi", "example.com/me/box:v1");
    assertEquals("Untagged: example.com/me/box:v1\nDeleted: " + config.digest() + "\n", last.out());
  }

  @Test
  void rmi_ofAnUnknownImageFailsWithOneLine() {
    Result r = hoist("rmi", "nothere");
    assertEquals(1, r.status());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("hoist: no image 'nothere'"), r.err());
  }

  @Test
  void saveAndLoad_moveAnImageBetweenStores() {
    Path tar = dir.resolve("out.tar");
    for (String format : List.of("docker-archive", "oci-archive")) {
      Result save = hoist("save", "-o", tar.toString(), "--format", format, "busybox");
      assertEquals(0, save.status(), save.err());
      root = dir.resolve("other-" + format);
      Result load = hoist("load", "-i", tar.toString());
      assertEquals(0, load.status(), load.err());
      assertEquals("Loaded image: busybox:latest\n", load.out());
      assertTrue(hoist("images").out().contains(config.digest().shortHex()));
      root = dir.resolve("root");
    }
  }

  @Test
  void load_ofAFileThatIsNoArchiveFailsWithOneLine() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.tar"), "junk");
    Result r = hoist("load", "-i", junk.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("hoist: archive " + junk), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void pruneAfterRmi_freesTheImagesBlobs() {
    assertEquals(0, hoist("rmi", "busybox").status());
    Result r = hoist("prune");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Deleted blobs: 4 ("), r.out());
    assertTrue(hoist("prune").out().startsWith("Deleted blobs: 0 "));
  }

  @Test
  void fsck_exitsOneAndNamesTheBlobWithAFlippedByte() throws IOException {
    Result ok = hoist("fsck");
    assertEquals(0, ok.status(), ok.out() + ok.err());
    Digest layer = manifest.layers().get(1).digest();
    Path blob = root.resolve("blobs/sha256/" + layer.hex());
    byte[] bytes = Files.readAllBytes(blob);
    bytes[600] ^= 1;
    Files.write(blob, bytes);
    Result bad = hoist("fsck");
    assertEquals(1, bad.status());
    assertTrue(bad.out().startsWith("blob " + layer + ": corrupt"), bad.out());
    assertEquals(1, bad.err().lines().count(), bad.err());
  }
}
