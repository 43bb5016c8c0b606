package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.testkit.OciValidator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist's image JSON against real Go peers: what umoci writes, hoist reads byte for byte and
 * OciValidator accepts; what hoist writes, umoci unpacks into the runtime config it implies and
 * skopeo reads back unchanged.
 */
class PeerInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void umociLayout_passesOciValidator_andParsesWithHoistsModel(@TempDir Path dir) throws Exception {
    requireTool("umoci");
    Path layout = dir.resolve("layout");
    Path files = Files.createDirectories(dir.resolve("files"));
    Files.writeString(files.resolve("hello"), "hi\n");
    run(dir, "umoci", "init", "--layout", layout.toString());
    run(dir, "umoci", "new", "--image", layout + ":latest");
    run(
        dir,
        "umoci",
        "insert",
        "--image",
        layout + ":latest",
        files.resolve("hello").toString(),
        "/hello");
    run(
        dir,
        "umoci",
        "config",
        "--image",
        layout + ":latest",
        "--config.env",
        "FOO=bar",
        "--config.cmd",
        "sh",
        "--config.exposedports",
        "80/tcp",
        "--config.workingdir",
        "/srv");

    OciValidator.assertValidLayout(layout);

    Index index = Index.parse(Files.readAllBytes(layout.resolve("index.json")));
    Descriptor d = index.manifests().get(0);
    assertEquals(Optional.of("latest"), d.annotation("org.opencontainers.image.ref.name"));
    byte[] manifestBytes = Files.readAllBytes(blob(layout, d.digest()));
    Manifest manifest = Manifest.parse(manifestBytes, Optional.of(d.mediaType()));
    assertArrayEquals(manifestBytes, manifest.raw());
    assertEquals(d.digest(), manifest.digest());
    assertEquals(d.size(), manifest.size());
    assertEquals(1, manifest.layers().size());

    byte[] configBytes = Files.readAllBytes(blob(layout, manifest.config().digest()));
    ImageConfig config = ImageConfig.parse(configBytes);
    assertEquals(manifest.config().digest(), config.digest());
    assertEquals(Optional.of("bar"), config.config().envValue("FOO"));
    assertEquals(Optional.of(List.of("sh")), config.config().cmd());
    assertEquals(java.util.Set.of("80/tcp"), config.config().exposedPorts());
    assertEquals(Optional.of("/srv"), config.config().workingDir());
    assertEquals(1, config.diffIds().size());
    assertEquals(2, config.history().size());
    assertTrue(config.history().get(1).emptyLayer());
  }

  @Test
  void hoistWrittenImage_isUnpackedByUmoci_andReadBackUnchangedBySkopeo(@TempDir Path dir)
      throws Exception {
    requireTool("umoci");
    requireTool("skopeo");
    requireTool("tar");
    Path tree = Files.createDirectories(dir.resolve("tree/srv/app"));
    Files.writeString(tree.resolve("hello.txt"), "hello from hoist\n");
    Path tar = dir.resolve("layer.tar");
    run(
        dir,
        "tar",
        "--sort=name",
        "--mtime=@0",
        "--owner=0",
        "--group=0",
        "-cf",
        tar.toString(),
        "-C",
        dir.resolve("tree").toString(),
        ".");
    byte[] layer = Files.readAllBytes(tar);

    ContainerConfig container =
        ImageFixtures.everyContainerField().toBuilder().user(Optional.of("1000:1000")).build();
    ImageConfig config =
        new ImageConfig.Builder(Platform.parse("linux/amd64"))
            .created(Optional.of(ImageFixtures.T1))
            .config(container)
            .addLayer(Digest.sha256(layer), History.of(ImageFixtures.T0, "tar", null, false))
            .build();
    Manifest manifest =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, config.raw()),
            List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer)));
    Index index =
        Index.of(
            Optional.empty(),
            List.of(
                manifest
                    .descriptor()
                    .withAnnotations(Map.of("org.opencontainers.image.ref.name", "latest"))),
            Map.of());
    Path layout = dir.resolve("layout");
    Files.createDirectories(layout.resolve("blobs/sha256"));
    for (byte[] b : List.of(layer, config.raw(), manifest.raw())) {
      Files.write(layout.resolve("blobs/sha256/" + Digest.sha256(b).hex()), b);
    }
    Files.write(layout.resolve("index.json"), index.raw());
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    OciValidator.assertValidLayout(layout);

    // skopeo returns the config and manifest bytes exactly as hoist wrote them.
    assertArrayEquals(
        config.raw(),
        run(dir, "skopeo", "inspect", "--raw", "--config", "oci:" + layout + ":latest"));
    assertArrayEquals(
        manifest.raw(), run(dir, "skopeo", "inspect", "--raw", "oci:" + layout + ":latest"));

    // umoci turns hoist's config into the runtime config Docker would run.
    Path bundle = dir.resolve("bundle");
    run(dir, "umoci", "unpack", "--image", layout + ":latest", bundle.toString());
    assertEquals(
        "hello from hoist\n", Files.readString(bundle.resolve("rootfs/srv/app/hello.txt")));
    JsonNode process = JSON.readTree(bundle.resolve("config.json").toFile()).path("process");
    assertEquals(List.of("/bin/sh", "-c", "echo hello"), strings(process.path("args")));
    assertEquals("/srv/app", process.path("cwd").asText());
    assertEquals(1000, process.path("user").path("uid").asInt());
    assertEquals(1000, process.path("user").path("gid").asInt());
    List<String> env = strings(process.path("env"));
    assertTrue(env.contains("QUOTE=a \"b\" \\ c"), env.toString());
    assertTrue(env.contains("EMPTY="), env.toString());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static Path blob(Path layout, Digest d) {
    return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  /** These peers are installed on the project's machines; a machine without one skips. */
  private static void requireTool(String name) {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      found |= Files.isExecutable(Path.of(dir, name));
    }
    Assumptions.assumeTrue(
        found, name + " is not installed (apt-get install " + name + "); peer check skipped");
  }

  private static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          String.join(" ", command)
              + " exited "
              + p.exitValue()
              + ": "
              + Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }
    return out;
  }
}
