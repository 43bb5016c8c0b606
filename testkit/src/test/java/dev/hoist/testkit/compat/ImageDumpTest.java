package dev.hoist.testkit.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDumpTest {
  @TempDir Path tmp;

  @Test
  void aWhiteoutRemovesAPathAndEverythingBelowIt() throws Exception {
    Path image =
        layout(
            "{\"config\":{}}",
            tar(dir("a"), file("a/x", "1"), dir("a/sub"), file("a/sub/y", "2"), file("b", "3")),
            tar(file("a/.wh.sub", "")));
    assertEquals(
        List.of("/a dir 0755 0:0", "/a/x " + fileLine("1"), "/b " + fileLine("3")), files(image));
  }

  @Test
  void anOpaqueDirectoryHidesTheLowerLayersButKeepsItsOwnEntries() throws Exception {
    Path image =
        layout(
            "{\"config\":{}}",
            tar(dir("d"), file("d/old", "o")),
            tar(dir("d"), file("d/.wh..wh..opq", ""), file("d/new", "n")));
    assertEquals(List.of("/d dir 0755 0:0", "/d/new " + fileLine("n")), files(image));
  }

  @Test
  void hardLinksShareTheGroupOfTheirFirstPath() throws Exception {
    Path image = layout("{\"config\":{}}", tar(file("z", "s"), hardlink("a", "z")));
    assertEquals(
        List.of("/a " + fileLine("s") + " hardlink=/a", "/z " + fileLine("s") + " hardlink=/a"),
        files(image));
  }

  @Test
  void pathsEqualToTheBaseAreLeftOutAndRemovedOnesAreSaid() throws Exception {
    byte[] baseLayer = tar(dir("etc"), file("etc/passwd", "p"), file("etc/group", "g"));
    Path base = layout("{\"config\":{}}", baseLayer);
    Path image =
        layout("{\"config\":{}}", baseLayer, tar(file("etc/.wh.group", ""), file("new", "n")));
    assertEquals(
        List.of("/etc/group removed", "/new " + fileLine("n")),
        files(ImageDump.of(image, Optional.of(base), Normalisation.NONE)));
  }

  @Test
  void unsetConfigValuesAndTheDefaultWorkingDirGiveNoLineAndJsonIsCanonical() throws Exception {
    Path image =
        layout(
            "{\"os\":\"linux\",\"architecture\":\"amd64\",\"config\":{\"Entrypoint\":[],"
                + "\"WorkingDir\":\"/\",\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"Tty\":false},"
                + "\"history\":[{\"created_by\":\"x\"},{\"empty_layer\":true}]}");
    assertEquals(
        List.of(
            "status=built",
            "architecture=amd64",
            "config.Labels={\"a\":\"1\",\"b\":\"2\"}",
            "history=LE",
            "layers=0",
            "os=linux"),
        ImageDump.of(image, Optional.empty(), Normalisation.NONE));
  }

  @Test
  void buildahsMountPointsAndVersionLabelAreNormalisedAway() throws Exception {
    Path image =
        layout(
            "{\"config\":{\"Labels\":{\"io.buildah.version\":\"1.28.2\"},\"Volumes\":{\"/v\":{}}}}",
            tar(dir("v"), dir("run"), dir("etc"), file("etc/hosts", ""), file("kept", "k")));
    List<String> dump = ImageDump.of(image, Optional.empty(), Normalisation.BUILDAH);
    assertEquals(List.of("/etc dir 0755 0:0", "/kept " + fileLine("k")), files(dump));
    assertEquals(false, dump.stream().anyMatch(l -> l.startsWith("config.Labels")));
  }

  private static List<String> files(List<String> dump) {
    return dump.stream().filter(l -> l.startsWith("/")).toList();
  }

  private List<String> files(Path image) throws IOException {
    return files(ImageDump.of(image, Optional.empty(), Normalisation.NONE));
  }

  private static String fileLine(String content) throws Exception {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    return "file 0644 0:0 size="
        + b.length
        + " sha256="
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private record Entry(TarArchiveEntry header, byte[] content) {}

  private static Entry dir(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name + "/");
    e.setMode(0755);
    return new Entry(e, new byte[0]);
  }

  private static Entry file(String name, String content) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    e.setMode(0644);
    e.setSize(b.length);
    return new Entry(e, b);
  }

  private static Entry hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0644);
    return new Entry(e, new byte[0]);
  }

  private static byte[] tar(Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (Entry e : entries) {
        tar.putArchiveEntry(e.header());
        tar.write(e.content());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * An OCI layout of uncompressed layers; the dumper follows the digests, it does not check them.
   */
  private Path layout(String config, byte[]... layers) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "layout");
    Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    StringBuilder layerList = new StringBuilder();
    for (int i = 0; i < layers.length; i++) {
      String name = "layer" + i;
      Files.write(blobs.resolve(name), layers[i]);
      layerList
          .append(i == 0 ? "" : ",")
          .append("{\"digest\":\"sha256:")
          .append(name)
          .append("\"}");
    }
    Files.writeString(blobs.resolve("config"), config);
    Files.writeString(
        blobs.resolve("manifest"),
        "{\"config\":{\"digest\":\"sha256:config\"},\"layers\":[" + layerList + "]}");
    Files.writeString(dir.resolve("oci-layout"), "{}");
    Files.writeString(
        dir.resolve("index.json"), "{\"manifests\":[{\"digest\":\"sha256:manifest\"}]}");
    return dir;
  }
}
