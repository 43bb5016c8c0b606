package dev.hoist.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The wire form of the image model. Reads with Jackson's tree model and writes compact JSON with a
 * fixed key order, so the model itself carries no Jackson types and the same model always gives the
 * same bytes.
 */
final class ImageJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ImageJson() {}

  static JsonNode read(byte[] raw, String what) {
    try {
      JsonNode node = MAPPER.readTree(raw);
      if (node == null || !node.isObject()) {
        throw new InvalidImageJsonException(what + " is not a JSON object");
      }
      return node;
    } catch (InvalidImageJsonException e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw new InvalidImageJsonException(
          what + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidImageJsonException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise image JSON", e);
    }
  }

  static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new InvalidImageJsonException("field '" + field + "' must be a string");
    }
    return Optional.of(v.asText());
  }

  static String requiredText(JsonNode node, String field, String what) {
    return text(node, field)
        .orElseThrow(() -> new InvalidImageJsonException(what + " has no '" + field + "'"));
  }

  static Optional<List<String>> strings(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new InvalidImageJsonException("field '" + field + "' must be an array of strings");
      }
      out.add(e.asText());
    }
    return Optional.of(out);
  }

  static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode v = node.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an object of strings");
    }
    v.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isTextual()) {
                throw new InvalidImageJsonException(
                    "field '" + field + "." + e.getKey() + "' must be a string");
              }
              out.put(e.getKey(), e.getValue().asText());
            });
    return out;
  }

  /** The keys of an object used as a set, as {@code ExposedPorts} and {@code Volumes} are. */
  static List<String> keySet(JsonNode node, String field) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw new InvalidImageJsonException(
          "field '"
              + field
              + "' must be an object whose keys are its members, e.g. {\"80/tcp\":{}}");
    }
    v.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isObject() && !e.getValue().isNull()) {
                throw new InvalidImageJsonException(
                    "field '" + field + "." + e.getKey() + "' must be an empty object {}");
              }
              out.add(e.getKey());
            });
    return out;
  }

  static Optional<Boolean> bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw new InvalidImageJsonException("field '" + field + "' must be true or false");
    }
    return Optional.of(v.booleanValue());
  }

  /** An integer field; a fraction, a string or a number beyond 64 bits is refused. */
  static Optional<Long> integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an integer");
    }
    return Optional.of(v.longValue());
  }

  /** An optional object field: absent or null is empty, anything but an object is refused. */
  static Optional<JsonNode> object(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an object");
    }
    return Optional.of(v);
  }

  /** An optional array of objects, as {@code history} is. */
  static List<JsonNode> objects(JsonNode node, String field) {
    JsonNode v = node.get(field);
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an array of objects");
    }
    for (JsonNode e : v) {
      if (!e.isObject()) {
        throw new InvalidImageJsonException("field '" + field + "' must be an array of objects");
      }
      out.add(e);
    }
    return out;
  }

  /** The document's {@code schemaVersion}, which must be the integer 2. */
  static void requireSchemaVersion2(JsonNode node, String what) {
    JsonNode v = node.get("schemaVersion");
    if (v == null || !v.isIntegralNumber() || v.asLong() != 2) {
      throw new InvalidImageJsonException(
          what
              + " schemaVersion must be 2, not "
              + (v == null ? "missing" : v.toString())
              + "; it is not an OCI or Docker schema 2 "
              + what);
    }
  }

  /** Runs {@code parse}, prefixing the message of any failure with the document it was in. */
  static <T> T in(String what, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidImageJsonException e) {
      if (e.getMessage().startsWith(what)) {
        throw e;
      }
      throw new InvalidImageJsonException(what + ": " + e.getMessage(), e);
    }
  }

  static Optional<Descriptor> optionalDescriptor(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(descriptor(v, field));
  }

  static List<Descriptor> descriptors(JsonNode node, String field) {
    JsonNode v = node.get(field);
    List<Descriptor> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new InvalidImageJsonException("field '" + field + "' must be an array");
    }
    for (JsonNode e : v) {
      out.add(descriptor(e, field));
    }
    return out;
  }

  static Descriptor descriptor(JsonNode v, String where) {
    if (!v.isObject()) {
      throw new InvalidImageJsonException("descriptor in '" + where + "' must be an object");
    }
    String mediaType = requiredText(v, "mediaType", "descriptor in '" + where + "'");
    String digestText = requiredText(v, "digest", "descriptor in '" + where + "'");
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (IllegalArgumentException e) {
      throw new InvalidImageJsonException("descriptor in '" + where + "': " + e.getMessage(), e);
    }
    JsonNode size = v.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new InvalidImageJsonException(
          "descriptor "
              + digest
              + " in '"
              + where
              + "' has no valid size (a non-negative integer): "
              + (size == null ? "missing" : size.toString()));
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = object(v, "platform").orElse(null);
    if (p != null) {
      platform =
          Optional.of(
              new Platform(
                  requiredText(p, "os", "platform"),
                  requiredText(p, "architecture", "platform"),
                  text(p, "variant"),
                  text(p, "os.version"),
                  strings(p, "os.features").orElse(List.of())));
    }
    return new Descriptor(
        mediaType,
        digest,
        size.asLong(),
        strings(v, "urls").orElse(List.of()),
        stringMap(v, "annotations"),
        platform,
        text(v, "artifactType"));
  }

  static ObjectNode descriptorNode(Descriptor d) {
    ObjectNode n = NODES.objectNode();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (!d.urls().isEmpty()) {
      n.set("urls", array(d.urls()));
    }
    putMap(n, "annotations", d.annotations());
    d.platform().ifPresent(p -> n.set("platform", platformNode(p)));
    d.artifactType().ifPresent(a -> n.put("artifactType", a));
    return n;
  }

  static ObjectNode platformNode(Platform p) {
    ObjectNode n = NODES.objectNode();
    n.put("architecture", p.architecture());
    n.put("os", p.os());
    p.osVersion().ifPresent(v -> n.put("os.version", v));
    if (!p.osFeatures().isEmpty()) {
      n.set("os.features", array(p.osFeatures()));
    }
    p.variant().ifPresent(v -> n.put("variant", v));
    return n;
  }

  static ArrayNode array(Collection<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  static ArrayNode descriptorArray(List<Descriptor> descriptors) {
    ArrayNode a = NODES.arrayNode();
    descriptors.forEach(d -> a.add(descriptorNode(d)));
    return a;
  }

  /** Puts a non-empty map with its keys sorted, so equal maps give equal bytes. */
  static void putMap(ObjectNode n, String field, Map<String, String> map) {
    if (!map.isEmpty()) {
      ObjectNode o = n.putObject(field);
      new TreeMap<>(map).forEach(o::put);
    }
  }

  static void putKeySet(ObjectNode n, String field, Collection<String> keys) {
    if (!keys.isEmpty()) {
      ObjectNode o = n.putObject(field);
      keys.stream().sorted().forEach(k -> o.putObject(k));
    }
  }
}
