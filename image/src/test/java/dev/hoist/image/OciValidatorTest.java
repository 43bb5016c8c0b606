package dev.hoist.image;

import static dev.hoist.image.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.testkit.OciValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;

/** The testkit's OciValidator, beyond what the upstream fixtures exercise. */
class OciValidatorTest {
  private static final String CONFIG_OK =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}";

  @Test
  void validate_ofAnUnknownMediaType_isCallerMisuse_namingTheKnownTypes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OciValidator.validate("application/json", utf8("{}")));
    assertTrue(e.getMessage().contains(OciValidator.MANIFEST), e.getMessage());
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          application/vnd.oci.image.config.v1+json   | ''                                          | not valid JSON
          application/vnd.oci.image.config.v1+json   | '{} {}'                                     | not valid JSON
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux"}'     | required property 'rootfs' not found
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:ABC"]}}' | $.rootfs.diff_ids[0]: sha256 digest "sha256:ABC" needs exactly 64 lower-case hex digits
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux","created":"2024-01-01 00:00:00","rootfs":{"type":"layers","diff_ids":[]}}' | $.created: "2024-01-01 00:00:00" is not an RFC 3339 time
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux","config":{"Env":["A=b\\nc"]},"rootfs":{"type":"layers","diff_ids":[]}}' | is not KEY=VALUE
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux","config":{"ArgsEscaped":"yes"},"rootfs":{"type":"layers","diff_ids":[]}}' | $.config.ArgsEscaped: must be a boolean, not string
          application/vnd.oci.image.config.v1+json   | '{"architecture":"amd64","os":"linux","config":{"ExposedPorts":{"80/tcp":"x"}},"rootfs":{"type":"layers","diff_ids":[]}}' | $.config.ExposedPorts.80/tcp: must be an object, not string
          application/vnd.oci.image.manifest.v1+json | '{"schemaVersion":2,"config":{"mediaType":"a/b","size":1,"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"},"layers":[{"mediaType":"a/b","size":1,"digest":"sha512:abc"}]}' | $.layers[0].digest: sha512 digest "sha512:abc" needs exactly 128 lower-case hex digits
          application/vnd.oci.image.manifest.v1+json | '{"schemaVersion":2,"config":{"mediaType":"a/b","size":1.5,"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"},"layers":[]}' | $.config.size: must be an integer (Go int64), not number
          application/vnd.oci.image.manifest.v1+json | '{"schemaVersion":2,"config":{"mediaType":"a/b","size":1,"data":"e30","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"},"layers":[]}' | $.config.data: not padded standard base64
          application/vnd.oci.image.index.v1+json    | '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","size":1,"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","platform":{"os":"linux"}}]}' | required property 'architecture' not found
          application/vnd.oci.layout.header.v1+json  | '{"imageLayoutVersion":"2.0.0"}'            | $.imageLayoutVersion
          application/vnd.oci.descriptor.v1+json     | '{"mediaType":"a/b","size":1,"digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","urls":["not a uri"]}' | $.urls[0]
          """)
  void validate_reportsEachProblemOnOneLine(String mediaType, String json, String problem) {
    List<String> problems = OciValidator.validate(mediaType, utf8(json));
    assertTrue(problems.stream().anyMatch(p -> p.contains(problem)), problems.toString());
    problems.forEach(p -> assertTrue(!p.contains("\n"), p));
  }

  @Test
  void validate_acceptsDockerTypes_mappingThemToOci() {
    String dockerConfig = CONFIG_OK + ",\"container_config\":{\"Hostname\":\"x\"}}";
    assertEquals(List.of(), OciValidator.validate(OciValidator.DOCKER_CONFIG, utf8(dockerConfig)));
    Manifest docker =
        Manifest.of(
            MediaTypes.DOCKER_MANIFEST,
            Descriptor.of(MediaTypes.DOCKER_CONFIG, ImageFixtures.CONFIG_DIGEST, 10),
            List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, ImageFixtures.LAYER_1, 1)));
    assertEquals(List.of(), OciValidator.validate(OciValidator.DOCKER_MANIFEST, docker.raw()));
  }

  @Test
  void assertValid_failsWithEveryProblemAndTheDocument() {
    String bad = "{\"architecture\":1,\"os\":\"linux\"}";
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class, () -> OciValidator.assertValid(OciValidator.CONFIG, bad));
    assertTrue(e.getMessage().contains("$.architecture"), e.getMessage());
    assertTrue(e.getMessage().contains("'rootfs'"), e.getMessage());
    assertTrue(e.getMessage().contains(bad), e.getMessage());
    OciValidator.assertValid(OciValidator.CONFIG, CONFIG_OK + "}");
  }

  /** Writes a small layout by hand: one image, tagged, with a 10 kB layer. */
  private static Manifest writeLayout(Path root) throws IOException {
    byte[] layer = new byte[10_000];
    new Random(1).nextBytes(layer);
    ImageConfig config =
        new ImageConfig.Builder(Platform.parse("linux/amd64"))
            .addLayer(Digest.sha256(layer), History.of(null, "test", null, false))
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
                    .withAnnotations(
                        Map.of("org.opencontainers.image.ref.name", "docker.io/library/t:1"))),
            Map.of());
    Files.createDirectories(root.resolve("blobs/sha256"));
    for (byte[] blob : List.of(layer, config.raw(), manifest.raw())) {
      Files.write(root.resolve("blobs/sha256/" + Digest.sha256(blob).hex()), blob);
    }
    Files.write(root.resolve("index.json"), index.raw());
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    return manifest;
  }

  @Test
  void validateLayout_acceptsAWellFormedLayout(@TempDir Path root) throws IOException {
    writeLayout(root);
    OciValidator.assertValidLayout(root);
  }

  @Test
  void validateLayout_findsACorruptBlob(@TempDir Path root) throws IOException {
    Manifest m = writeLayout(root);
    Path layer = root.resolve("blobs/sha256/" + m.layers().get(0).digest().hex());
    byte[] bytes = Files.readAllBytes(layer);
    bytes[0] ^= 1;
    Files.write(layer, bytes);
    List<String> problems = OciValidator.validateLayout(root);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("its bytes have digest"), problems.toString());
  }

  @Test
  void validateLayout_findsAMissingConfig_aWrongSize_andStrayFiles(@TempDir Path root)
      throws IOException {
    Manifest m = writeLayout(root);
    Files.delete(root.resolve("blobs/sha256/" + m.config().digest().hex()));
    Files.write(root.resolve("blobs/sha256/" + m.layers().get(0).digest().hex()), new byte[0]);
    Files.writeString(root.resolve("blobs/tmp-123"), "x");
    String problems = OciValidator.validateLayout(root).toString();
    assertTrue(
        problems.contains("(application/vnd.oci.image.config.v1+json) is missing"), problems);
    assertTrue(problems.contains("has 0 bytes but its descriptor says 10000"), problems);
    assertTrue(
        problems.contains("blobs/tmp-123: not a blobs/<algorithm>/<encoded> file"), problems);
  }

  @Test
  void validateLayout_checksTheDocumentsItReaches(@TempDir Path root) throws IOException {
    writeLayout(root);
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"one\"}");
    byte[] badConfig = utf8("{\"os\":\"linux\"}");
    Manifest m =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, badConfig),
            List.of(Descriptor.of(MediaTypes.OCI_LAYER, new byte[0])));
    for (byte[] blob : List.of(badConfig, m.raw(), new byte[0])) {
      Files.write(root.resolve("blobs/sha256/" + Digest.sha256(blob).hex()), blob);
    }
    Files.write(root.resolve("index.json"), Index.of(List.of(m.descriptor())).raw());
    String problems = OciValidator.validateLayout(root).toString();
    assertTrue(problems.contains("oci-layout: schema"), problems);
    assertTrue(
        problems.contains("blobs/sha256/" + Digest.sha256(badConfig).hex() + ": schema"), problems);
    assertTrue(problems.contains("required property 'architecture'"), problems);
    assertTrue(!problems.contains("index.json:"), problems);
  }

  @Test
  void validateLayout_ofAnEmptyDirectory_saysWhatIsMissing(@TempDir Path root) {
    assertEquals(
        List.of("oci-layout: missing", "index.json: missing", "blobs: missing"),
        OciValidator.validateLayout(root));
  }
}
