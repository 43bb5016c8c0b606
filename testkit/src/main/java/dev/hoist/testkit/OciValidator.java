package dev.hoist.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.AssertionFailedError;

/**
 * Validates image JSON the way the OCI image-spec's own {@code schema.Validator} does: the Go-side
 * checks of {@code schema/validator.go} (the document must unmarshal into the spec's Go types,
 * digests must be well formed with lower-case hex for registered algorithms, config {@code Env}
 * entries need {@code =}) and then the spec's JSON schemas (draft-04, with format assertions such
 * as {@code uri} and {@code date-time}).
 *
 * <p>Docker schema 2 media types are validated as upstream's backwards-compatibility test does:
 * Docker media type strings in the document are replaced by their OCI equivalents, then the
 * document is validated as the OCI type.
 *
 * <p>One call does it: {@code OciValidator.validate(mediaType, bytes)} returns the problems (empty
 * when valid); {@code OciValidator.assertValid(mediaType, bytes)} fails a test with all of them.
 * {@code OciValidator.assertValidLayout(dir)} does the same for a whole OCI image layout (a store
 * root): every document reachable from its {@code index.json}, and every blob's digest.
 *
 * <p>Beyond upstream, digests of descriptors nested in manifests and indexes and the config's
 * {@code rootfs.diff_ids} are checked as strictly as a top-level descriptor's digest: hoist never
 * writes a malformed digest anywhere.
 */
public final class OciValidator {
  public static final String DESCRIPTOR = "application/vnd.oci.descriptor.v1+json";
  public static final String LAYOUT = "application/vnd.oci.layout.header.v1+json";
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  private static final String SCHEMA_BASE = "https://opencontainers.org/schema/";
  private static final String RESOURCES = "/oci-schema/";

  /** Upstream's schema.go {@code specs}: which schema file validates which media type. */
  private static final Map<String, String> SCHEMA_FILES =
      Map.of(
          DESCRIPTOR, "content-descriptor.json",
          LAYOUT, "image-layout-schema.json",
          MANIFEST, "image-manifest-schema.json",
          INDEX, "image-index-schema.json",
          CONFIG, "config-schema.json");

  /**
   * Every URL a schema file is known by (upstream's schema.go {@code specURLs}): the {@code id}s
   * and what relative {@code $ref}s resolve to against them. Any URL ending in a file name also
   * maps to that file, which covers the relative-ref aliases however the base was reached.
   */
  private static final Map<String, String> SCHEMA_IDS =
      Map.of(
          SCHEMA_BASE + "image/config", "config-schema.json",
          SCHEMA_BASE + "descriptor", "content-descriptor.json",
          SCHEMA_BASE + "image/descriptor/mediaType", "defs-descriptor.json",
          SCHEMA_BASE + "image/index", "image-index-schema.json",
          SCHEMA_BASE + "image/layout", "image-layout-schema.json",
          SCHEMA_BASE + "image/manifest", "image-manifest-schema.json");

  /** Upstream's backwards_compatibility_test.go {@code compatMap}. */
  private static final Map<String, String> DOCKER_TO_OCI =
      Map.of(
          DOCKER_MANIFEST_LIST,
          INDEX,
          DOCKER_MANIFEST,
          MANIFEST,
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.oci.image.layer.v1.tar+gzip",
          DOCKER_CONFIG,
          CONFIG);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V4,
          b -> b.schemaLoaders(l -> l.values(list -> list.add(0, OciValidator::load))));
  private static final SchemaValidatorsConfig CONFIG_OPTIONS =
      SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(PathType.JSON_PATH)
          .build();
  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private OciValidator() {}

  /**
   * The problems of {@code json} as a document of {@code mediaType}, one line each, empty when it
   * is valid.
   *
   * @param mediaType one of the OCI types above ({@link #MANIFEST}, {@link #INDEX}, {@link
   *     #CONFIG}, {@link #LAYOUT}, {@link #DESCRIPTOR}) or a Docker schema 2 manifest, manifest
   *     list or config type
   * @throws IllegalArgumentException for a media type that has no schema
   */
  public static List<String> validate(String mediaType, byte[] json) {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(json, "json");
    String text = new String(json, StandardCharsets.UTF_8);
    String ociType = mediaType;
    if (DOCKER_TO_OCI.containsKey(mediaType)) {
      ociType = DOCKER_TO_OCI.get(mediaType);
      for (Map.Entry<String, String> e : DOCKER_TO_OCI.entrySet()) {
        text = text.replace(e.getKey(), e.getValue());
      }
    }
    String schemaFile = SCHEMA_FILES.get(ociType);
    if (schemaFile == null) {
      throw new IllegalArgumentException(
          "OciValidator has no schema for media type "
              + mediaType
              + "; use one of "
              + String.join(", ", new TreeSet<>(SCHEMA_FILES.keySet()))
              + " or a Docker schema 2 manifest, manifest list or config type");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return List.of("not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
    }
    if (node == null || node.isMissingNode()) {
      return List.of("not valid JSON: the document is empty");
    }
    List<String> problems = new ArrayList<>(OciGoChecks.check(ociType, node));
    schema(schemaFile).validate(node).stream()
        .sorted(Comparator.comparing(ValidationMessage::getMessage))
        .forEach(
            m -> problems.add("schema " + schemaFile + ": " + m.getMessage().replace("\n", "\\n")));
    return List.copyOf(problems);
  }

  /** Fails with every problem of {@code json} as a {@code mediaType} document, if it has any. */
  public static void assertValid(String mediaType, byte[] json) {
    List<String> problems = validate(mediaType, json);
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(
          "not a valid "
              + mediaType
              + " document:\n  "
              + String.join("\n  ", problems)
              + "\n--- document ---\n"
              + new String(json, StandardCharsets.UTF_8));
    }
  }

  /** As {@link #assertValid(String, byte[])}, for a document held as text. */
  public static void assertValid(String mediaType, String json) {
    assertValid(mediaType, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The problems of the OCI image layout at {@code root} (a hoist store's root is one): {@code
   * oci-layout} and {@code index.json} valid, every index, manifest and config reachable from
   * {@code index.json} valid and present with its descriptor's size, and every file under {@code
   * blobs/} named for the digest of its bytes. Empty when all is well.
   */
  public static List<String> validateLayout(java.nio.file.Path root) {
    return OciLayoutCheck.check(Objects.requireNonNull(root, "root"));
  }

  /** Fails with every problem of the OCI image layout at {@code root}, if it has any. */
  public static void assertValidLayout(java.nio.file.Path root) {
    List<String> problems = validateLayout(root);
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(
          "not a valid OCI image layout: " + root + "\n  " + String.join("\n  ", problems));
    }
  }

  private static JsonSchema schema(String file) {
    return SCHEMAS.computeIfAbsent(
        file,
        f ->
            FACTORY.getSchema(
                SchemaLocation.of(
                    SCHEMA_IDS.entrySet().stream()
                        .filter(e -> e.getValue().equals(f))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow()),
                CONFIG_OPTIONS));
  }

  /**
   * Serves the copied schema files for their {@code opencontainers.org} URLs, so that nothing is
   * fetched from the network; any other URL is refused.
   */
  private static InputStreamSource load(AbsoluteIri iri) {
    String url = iri.toString();
    int hash = url.indexOf('#');
    if (hash >= 0) {
      url = url.substring(0, hash);
    }
    Optional<String> file = schemaFileFor(url);
    if (file.isEmpty()) {
      String refused = url;
      return () -> {
        throw new IOException("OciValidator does not fetch schema " + refused);
      };
    }
    String resource = RESOURCES + file.get();
    return () -> {
      InputStream in = OciValidator.class.getResourceAsStream(resource);
      if (in == null) {
        throw new IOException("class path resource " + resource + " is missing from testkit");
      }
      return in;
    };
  }

  private static Optional<String> schemaFileFor(String url) {
    if (!url.startsWith(SCHEMA_BASE)) {
      return Optional.empty();
    }
    String exact = SCHEMA_IDS.get(url);
    if (exact != null) {
      return Optional.of(exact);
    }
    String name = url.substring(url.lastIndexOf('/') + 1);
    return SCHEMA_FILES.containsValue(name)
            || name.equals("defs.json")
            || name.equals("defs-descriptor.json")
        ? Optional.of(name)
        : Optional.empty();
  }
}
