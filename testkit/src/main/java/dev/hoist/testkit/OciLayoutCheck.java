package dev.hoist.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks an OCI image layout directory: {@code oci-layout} and {@code index.json} against their
 * schemas, every index, manifest and config reachable from it against its schema, every reachable
 * blob present with the size its descriptor says, and every file under {@code blobs/} named for the
 * digest of its bytes.
 */
final class OciLayoutCheck {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, String> JDK_ALGORITHMS =
      Map.of("sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");
  private static final Set<String> INDEXES =
      Set.of(OciValidator.INDEX, OciValidator.DOCKER_MANIFEST_LIST);
  private static final Set<String> MANIFESTS =
      Set.of(OciValidator.MANIFEST, OciValidator.DOCKER_MANIFEST);
  private static final Set<String> CONFIGS =
      Set.of(OciValidator.CONFIG, OciValidator.DOCKER_CONFIG);

  private final Path root;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> visited = new HashSet<>();

  private OciLayoutCheck(Path root) {
    this.root = root;
  }

  static List<String> check(Path root) {
    OciLayoutCheck c = new OciLayoutCheck(root);
    c.run();
    return List.copyOf(c.problems);
  }

  private void run() {
    document(root.resolve("oci-layout"), OciValidator.LAYOUT);
    byte[] index = document(root.resolve("index.json"), OciValidator.INDEX);
    if (index != null) {
      children(index, "index.json");
    }
    everyBlobNamedForItsDigest();
  }

  private byte[] document(Path file, String mediaType) {
    if (!Files.isRegularFile(file)) {
      problems.add(root.relativize(file) + ": missing");
      return null;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      for (String p : OciValidator.validate(mediaType, bytes)) {
        problems.add(root.relativize(file) + ": " + p);
      }
      return bytes;
    } catch (IOException e) {
      problems.add(root.relativize(file) + ": cannot read: " + e.getMessage());
      return null;
    }
  }

  /** Follows the descriptors of an index or manifest document. */
  private void children(byte[] json, String where) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(json);
    } catch (IOException e) {
      return; // already reported by the schema check
    }
    for (String field : List.of("manifests", "layers")) {
      for (JsonNode d : doc.path(field)) {
        descriptor(d, where);
      }
    }
    JsonNode config = doc.get("config");
    if (config != null && config.isObject()) {
      descriptor(config, where);
    }
    JsonNode subject = doc.get("subject");
    if (subject != null && subject.isObject()) {
      // A subject may live elsewhere (referrers); only check it when it is here.
      Path blob = blobPath(subject.path("digest").asText());
      if (blob != null && Files.exists(blob)) {
        descriptor(subject, where);
      }
    }
  }

  private void descriptor(JsonNode d, String where) {
    String digest = d.path("digest").asText();
    String mediaType = d.path("mediaType").asText();
    Path blob = blobPath(digest);
    if (blob == null) {
      return; // a malformed digest is already a schema problem of the parent
    }
    if (!Files.isRegularFile(blob)) {
      if (!d.has("urls")) {
        problems.add(where + ": blob " + digest + " (" + mediaType + ") is missing");
      }
      return;
    }
    try {
      long size = Files.size(blob);
      if (d.path("size").canConvertToLong() && size != d.path("size").asLong()) {
        problems.add(
            where
                + ": blob "
                + digest
                + " has "
                + size
                + " bytes but its descriptor says "
                + d.path("size").asLong());
      }
    } catch (IOException e) {
      problems.add(where + ": blob " + digest + " cannot be read: " + e.getMessage());
      return;
    }
    if (!visited.add(digest)) {
      return;
    }
    String name = "blob " + digest;
    if (INDEXES.contains(mediaType) || MANIFESTS.contains(mediaType)) {
      byte[] bytes = document(blob, mediaType);
      if (bytes != null) {
        children(bytes, name);
      }
    } else if (CONFIGS.contains(mediaType)) {
      document(blob, mediaType);
    }
  }

  private Path blobPath(String digest) {
    int colon = digest.indexOf(':');
    if (colon <= 0 || digest.indexOf('/') >= 0 || digest.contains("..")) {
      return null;
    }
    return root.resolve("blobs")
        .resolve(digest.substring(0, colon))
        .resolve(digest.substring(colon + 1));
  }

  private void everyBlobNamedForItsDigest() {
    Path blobs = root.resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      problems.add("blobs: missing");
      return;
    }
    try (Stream<Path> files = Files.walk(blobs)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isDirectory(f)) {
          continue;
        }
        Path rel = blobs.relativize(f);
        String jdk = rel.getNameCount() == 2 ? JDK_ALGORITHMS.get(rel.getName(0).toString()) : null;
        if (jdk == null) {
          problems.add("blobs/" + rel + ": not a blobs/<algorithm>/<encoded> file");
          continue;
        }
        String actual = hash(f, jdk);
        if (!actual.equals(rel.getName(1).toString())) {
          problems.add("blobs/" + rel + ": its bytes have digest " + rel.getName(0) + ":" + actual);
        }
      }
    } catch (IOException e) {
      problems.add("blobs: cannot be listed: " + e.getMessage());
    }
  }

  private static String hash(Path file, String jdkAlgorithm) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance(jdkAlgorithm);
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
