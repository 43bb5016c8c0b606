package dev.hoist.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks that the OCI image-spec's Go validator makes before its JSON schemas: the document
 * must unmarshal into the spec's Go types ({@code specs-go/v1}: a wrong JSON type, a fraction where
 * Go has an int, a bad RFC 3339 time or unpadded base64 fails there), descriptor digests must pass
 * go-digest's {@code Validate}, and config {@code Env} entries must look like {@code K=V}.
 */
final class OciGoChecks {
  /** go-digest's DigestRegexpAnchored. */
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  /** The algorithms go-digest registers, with the hex length each needs. */
  private static final Map<String, Integer> REGISTERED =
      Map.of("sha256", 64, "sha384", 96, "sha512", 128);

  private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

  /** validator.go's {@code ^[^=]+=.*$}; Go's {@code .} and {@code $} never match a newline. */
  private static final Pattern ENV = Pattern.compile("[^=]+=[^\\n]*");

  private static final Pattern BASE64 =
      Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

  private final List<String> problems = new ArrayList<>();

  private OciGoChecks() {}

  /** The problems of {@code doc} as a document of the OCI media type {@code ociType}. */
  static List<String> check(String ociType, JsonNode doc) {
    OciGoChecks c = new OciGoChecks();
    switch (ociType) {
      case OciValidator.DESCRIPTOR -> c.descriptor(doc, "$");
      case OciValidator.MANIFEST -> c.manifest(doc);
      case OciValidator.INDEX -> c.index(doc);
      case OciValidator.CONFIG -> c.config(doc);
      case OciValidator.LAYOUT -> c.layout(doc);
      default -> throw new IllegalArgumentException("no Go-side checks for " + ociType);
    }
    return c.problems;
  }

  private void manifest(JsonNode n) {
    if (!object(n, "$")) {
      return;
    }
    integer(field(n, "schemaVersion"), "$.schemaVersion");
    string(field(n, "mediaType"), "$.mediaType");
    string(field(n, "artifactType"), "$.artifactType");
    descriptor(field(n, "config"), "$.config");
    descriptors(field(n, "layers"), "$.layers");
    descriptor(field(n, "subject"), "$.subject");
    stringMap(field(n, "annotations"), "$.annotations");
  }

  private void index(JsonNode n) {
    if (!object(n, "$")) {
      return;
    }
    integer(field(n, "schemaVersion"), "$.schemaVersion");
    string(field(n, "mediaType"), "$.mediaType");
    string(field(n, "artifactType"), "$.artifactType");
    descriptors(field(n, "manifests"), "$.manifests");
    descriptor(field(n, "subject"), "$.subject");
    stringMap(field(n, "annotations"), "$.annotations");
  }

  private void layout(JsonNode n) {
    if (object(n, "$")) {
      string(field(n, "imageLayoutVersion"), "$.imageLayoutVersion");
    }
  }

  private void config(JsonNode n) {
    if (!object(n, "$")) {
      return;
    }
    time(field(n, "created"), "$.created");
    string(field(n, "author"), "$.author");
    platformFields(n, "$");
    JsonNode c = field(n, "config");
    if (present(c) && object(c, "$.config")) {
      string(field(c, "User"), "$.config.User");
      set(field(c, "ExposedPorts"), "$.config.ExposedPorts");
      JsonNode env = field(c, "Env");
      if (strings(env, "$.config.Env")) {
        for (int i = 0; i < env.size(); i++) {
          if (!ENV.matcher(env.get(i).asText()).matches()) {
            problems.add("$.config.Env[" + i + "]: " + env.get(i) + " is not KEY=VALUE");
          }
        }
      }
      strings(field(c, "Entrypoint"), "$.config.Entrypoint");
      strings(field(c, "Cmd"), "$.config.Cmd");
      set(field(c, "Volumes"), "$.config.Volumes");
      string(field(c, "WorkingDir"), "$.config.WorkingDir");
      stringMap(field(c, "Labels"), "$.config.Labels");
      string(field(c, "StopSignal"), "$.config.StopSignal");
      bool(field(c, "ArgsEscaped"), "$.config.ArgsEscaped");
    }
    JsonNode rootfs = field(n, "rootfs");
    if (present(rootfs) && object(rootfs, "$.rootfs")) {
      string(field(rootfs, "type"), "$.rootfs.type");
      JsonNode diffIds = field(rootfs, "diff_ids");
      if (strings(diffIds, "$.rootfs.diff_ids")) {
        for (int i = 0; i < diffIds.size(); i++) {
          digest(diffIds.get(i), "$.rootfs.diff_ids[" + i + "]");
        }
      }
    }
    JsonNode history = field(n, "history");
    if (present(history) && array(history, "$.history")) {
      for (int i = 0; i < history.size(); i++) {
        JsonNode h = history.get(i);
        String p = "$.history[" + i + "]";
        if (present(h) && object(h, p)) {
          time(field(h, "created"), p + ".created");
          string(field(h, "created_by"), p + ".created_by");
          string(field(h, "author"), p + ".author");
          string(field(h, "comment"), p + ".comment");
          bool(field(h, "empty_layer"), p + ".empty_layer");
        }
      }
    }
  }

  private void descriptors(JsonNode n, String path) {
    if (present(n) && array(n, path)) {
      for (int i = 0; i < n.size(); i++) {
        descriptor(n.get(i), path + "[" + i + "]");
      }
    }
  }

  private void descriptor(JsonNode n, String path) {
    if (!present(n) || !object(n, path)) {
      return;
    }
    string(field(n, "mediaType"), path + ".mediaType");
    JsonNode digest = field(n, "digest");
    if (string(digest, path + ".digest")) {
      digest(present(digest) ? digest : null, path + ".digest");
    }
    int64(field(n, "size"), path + ".size");
    strings(field(n, "urls"), path + ".urls");
    stringMap(field(n, "annotations"), path + ".annotations");
    base64(field(n, "data"), path + ".data");
    JsonNode platform = field(n, "platform");
    if (present(platform) && object(platform, path + ".platform")) {
      platformFields(platform, path + ".platform");
    }
    string(field(n, "artifactType"), path + ".artifactType");
  }

  private void platformFields(JsonNode n, String path) {
    string(field(n, "architecture"), path + ".architecture");
    string(field(n, "os"), path + ".os");
    string(field(n, "os.version"), path + ".os.version");
    strings(field(n, "os.features"), path + ".os.features");
    string(field(n, "variant"), path + ".variant");
  }

  /**
   * go-digest's {@code Digest.Validate}, with unregistered algorithms accepted as upstream does.
   */
  private void digest(JsonNode n, String path) {
    String d = n == null ? "" : n.asText();
    int colon = d.indexOf(':');
    if (colon <= 0 || colon + 1 == d.length()) {
      problems.add(path + ": " + quote(d) + " is not a digest of the form algorithm:encoded");
      return;
    }
    String algorithm = d.substring(0, colon);
    String encoded = d.substring(colon + 1);
    Integer length = REGISTERED.get(algorithm);
    if (length == null) {
      if (!DIGEST.matcher(d).matches()) {
        problems.add(path + ": " + quote(d) + " is not a digest of the form algorithm:encoded");
      }
      return;
    }
    if (encoded.length() != length || !LOWER_HEX.matcher(encoded).matches()) {
      problems.add(
          path
              + ": "
              + algorithm
              + " digest "
              + quote(d)
              + " needs exactly "
              + length
              + " lower-case hex digits");
    }
  }

  /** A value as a JSON string, so that a problem stays on one line whatever the value holds. */
  private static String quote(String value) {
    return new com.fasterxml.jackson.databind.node.TextNode(value).toString();
  }

  /** Go's encoding/json matches a field name exactly first, then case-insensitively. */
  private static JsonNode field(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.equalsIgnoreCase(name)) {
        return object.get(key);
      }
    }
    return null;
  }

  /** Go leaves a field untouched for an absent key or a JSON null, whatever its type. */
  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }

  private boolean object(JsonNode n, String path) {
    if (!present(n)) {
      return true;
    }
    return expect(n.isObject(), n, path, "an object");
  }

  private boolean array(JsonNode n, String path) {
    return !present(n) || expect(n.isArray(), n, path, "an array");
  }

  private boolean string(JsonNode n, String path) {
    return !present(n) || expect(n.isTextual(), n, path, "a string");
  }

  private void bool(JsonNode n, String path) {
    if (present(n)) {
      expect(n.isBoolean(), n, path, "a boolean");
    }
  }

  private void integer(JsonNode n, String path) {
    int64(n, path);
  }

  private void int64(JsonNode n, String path) {
    if (present(n)) {
      expect(n.isIntegralNumber() && n.canConvertToLong(), n, path, "an integer (Go int64)");
    }
  }

  private boolean strings(JsonNode n, String path) {
    if (!present(n)) {
      return false;
    }
    if (!array(n, path)) {
      return false;
    }
    boolean ok = true;
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      ok &= e.isNull() || string(e, path + "[" + i + "]");
    }
    return ok;
  }

  private void stringMap(JsonNode n, String path) {
    if (present(n) && object(n, path)) {
      n.fields().forEachRemaining(e -> string(e.getValue(), path + "." + e.getKey()));
    }
  }

  /** A Go {@code map[string]struct{}}: each value must be an object (or null). */
  private void set(JsonNode n, String path) {
    if (present(n) && object(n, path)) {
      n.fields().forEachRemaining(e -> object(e.getValue(), path + "." + e.getKey()));
    }
  }

  private void time(JsonNode n, String path) {
    if (present(n) && string(n, path)) {
      try {
        OffsetDateTime.parse(n.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        problems.add(path + ": " + n + " is not an RFC 3339 time");
      }
    }
  }

  /** Go decodes a {@code []byte} field with padded standard base64. */
  private void base64(JsonNode n, String path) {
    if (present(n) && string(n, path)) {
      String s = n.asText();
      boolean ok = BASE64.matcher(s).matches();
      if (ok) {
        try {
          Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
          ok = false;
        }
      }
      if (!ok) {
        problems.add(path + ": not padded standard base64");
      }
    }
  }

  private boolean expect(boolean ok, JsonNode n, String path, String what) {
    if (!ok) {
      problems.add(
          path
              + ": must be "
              + what
              + ", not "
              + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return ok;
  }
}
