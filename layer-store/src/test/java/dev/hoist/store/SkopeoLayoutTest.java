package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Compression;
import dev.hoist.image.Reference;
import dev.hoist.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is an OCI layout that real tools read: skopeo by name, umoci for validity. */
class SkopeoLayoutTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsSkopeo() {
    // skopeo is a Debian package the CI installs; without it this test cannot say anything.
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo not installed");
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  @Test
  void skopeoInspect_readsAStoredImageByItsFullName() throws Exception {
    try (Store store = Store.open(dir)) {
      TestImage image = TestImages.put(store, 7, 2);
      store.tag(Reference.parse("busybox"), image.descriptor());
      TestImage other = TestImages.put(store, 8, 1);
      store.tag(Reference.parse("localhost:5000/team/app:v1"), other.descriptor());

      String out = run("skopeo", "inspect", "oci:" + dir + ":docker.io/library/busybox:latest");
      assertTrue(out.contains("\"Digest\": \"" + image.manifest().digest() + "\""), out);
      for (var layer : image.layers()) {
        assertTrue(out.contains(layer.digest().toString()), out);
      }
      String config =
          run("skopeo", "inspect", "--config", "oci:" + dir + ":localhost:5000/team/app:v1");
      assertTrue(config.contains("SEED=8"), config);
    }
  }

  @Test
  void skopeoCopy_readsEveryBlobOfTheStore() throws Exception {
    try (Store store = Store.open(dir.resolve("store"))) {
      TestImage image = TestImages.put(store, 9, 3, Compression.NONE, false);
      store.tag(Reference.parse("plain:1"), image.descriptor());
      Path copy = dir.resolve("copy");
      run(
          "skopeo",
          "copy",
          "oci:" + dir.resolve("store") + ":docker.io/library/plain:1",
          "oci:" + copy + ":plain");
      List<String> blobs = new ArrayList<>();
      try (var s = Files.list(copy.resolve("blobs/sha256"))) {
        s.forEach(p -> blobs.add(p.getFileName().toString()));
      }
      // skopeo may compress the plain layers on the way; the config travels unchanged.
      assertTrue(blobs.contains(image.id().hex()), blobs.toString());
      assertEquals(5, blobs.size(), blobs.toString());
    }
  }
}
