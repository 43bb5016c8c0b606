package dev.hoist.testkit.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as its config and its layers' uncompressed tars, read from an OCI layout directory, an
 * OCI archive or a docker-archive ({@code docker save} of Docker 20.10: {@code manifest.json}
 * naming the config and {@code <id>/layer.tar} files). Reads with commons-compress and Jackson
 * only, so that a bug in hoist's own image code cannot hide in both sides of a comparison.
 */
record ImageFiles(JsonNode config, List<byte[]> layers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ImageFiles read(Path image) throws IOException {
    Map<String, byte[]> files = Files.isDirectory(image) ? readDir(image) : readTar(image);
    if (files.containsKey("oci-layout")) {
      return fromOci(files, image);
    }
    if (files.containsKey("manifest.json")) {
      return fromDockerArchive(files, image);
    }
    throw new IOException(image + " is neither an OCI layout, an OCI archive nor a docker-archive");
  }

  private static ImageFiles fromOci(Map<String, byte[]> files, Path image) throws IOException {
    JsonNode node = JSON.readTree(need(files, "index.json", image));
    // An index (the layout's own, or a nested image index): follow its first manifest.
    while (node.has("manifests")) {
      JsonNode first = node.path("manifests").path(0);
      node = JSON.readTree(need(files, blobPath(first.path("digest").asText()), image));
    }
    JsonNode config =
        JSON.readTree(need(files, blobPath(node.path("config").path("digest").asText()), image));
    List<byte[]> layers = new ArrayList<>();
    for (JsonNode layer : node.path("layers")) {
      layers.add(uncompressed(need(files, blobPath(layer.path("digest").asText()), image)));
    }
    return new ImageFiles(config, layers);
  }

  private static ImageFiles fromDockerArchive(Map<String, byte[]> files, Path image)
      throws IOException {
    JsonNode manifest = JSON.readTree(need(files, "manifest.json", image)).path(0);
    JsonNode config = JSON.readTree(need(files, manifest.path("Config").asText(), image));
    List<byte[]> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("Layers")) {
      layers.add(uncompressed(need(files, layer.asText(), image)));
    }
    return new ImageFiles(config, layers);
  }

  private static String blobPath(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static byte[] need(Map<String, byte[]> files, String name, Path image)
      throws IOException {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      throw new IOException(image + " has no " + name);
    }
    return bytes;
  }

  /** The layer's tar: gzip is undone, an uncompressed tar is returned as is. */
  private static byte[] uncompressed(byte[] blob) throws IOException {
    if (blob.length > 1 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
        return in.readAllBytes();
      }
    }
    if (blob.length > 3 && (blob[0] & 0xff) == 0x28 && (blob[1] & 0xff) == 0xb5) {
      throw new IOException("zstd layers are not supported by the compat dumper");
    }
    return blob;
  }

  private static Map<String, byte[]> readDir(Path dir) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static Map<String, byte[]> readTar(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isFile()) {
          files.put(TreePaths.normalise(e.getName()), in.readAllBytes());
        }
      }
    }
    return files;
  }
}
