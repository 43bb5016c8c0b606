package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.testkit.OciValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Everything the image module writes passes the OCI image-spec's validation. */
class WrittenJsonIsValidOciTest {

  static Stream<Arguments> written() {
    Descriptor dockerConfig =
        Descriptor.of(MediaTypes.DOCKER_CONFIG, ImageFixtures.CONFIG_DIGEST, 10);
    Manifest docker =
        Manifest.of(
            MediaTypes.DOCKER_MANIFEST,
            dockerConfig,
            List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, ImageFixtures.LAYER_1, 100)));
    Manifest ociPlain =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 10),
            List.of(
                Descriptor.of(MediaTypes.OCI_LAYER, ImageFixtures.LAYER_1, 0),
                Descriptor.of(MediaTypes.OCI_LAYER_ZSTD, ImageFixtures.LAYER_2, 1L << 40)));
    Index dockerList =
        Index.of(
            Optional.of(MediaTypes.DOCKER_MANIFEST_LIST),
            List.of(docker.descriptor().withPlatform(Platform.parse("linux/amd64"))),
            Map.of());
    Index layout =
        Index.of(
            Optional.empty(),
            List.of(
                ImageFixtures.everyManifestField()
                    .descriptor()
                    .withAnnotations(
                        Map.of(
                            "org.opencontainers.image.ref.name",
                            "docker.io/library/busybox:latest"))),
            Map.of());
    return Stream.of(
        Arguments.of(
            "manifest with every field",
            OciValidator.MANIFEST,
            ImageFixtures.everyManifestField().raw()),
        Arguments.of("plain OCI manifest", OciValidator.MANIFEST, ociPlain.raw()),
        Arguments.of("Docker manifest", OciValidator.DOCKER_MANIFEST, docker.raw()),
        Arguments.of(
            "index with every field", OciValidator.INDEX, ImageFixtures.everyIndexField().raw()),
        Arguments.of("empty index", OciValidator.INDEX, Index.of(List.of()).raw()),
        Arguments.of("layout index.json", OciValidator.INDEX, layout.raw()),
        Arguments.of("Docker manifest list", OciValidator.DOCKER_MANIFEST_LIST, dockerList.raw()),
        Arguments.of(
            "config with every field", OciValidator.CONFIG, ImageFixtures.everyConfigField().raw()),
        Arguments.of(
            "config with every field as Docker",
            OciValidator.DOCKER_CONFIG,
            ImageFixtures.everyConfigField().raw()),
        Arguments.of(
            "scratch config",
            OciValidator.CONFIG,
            ImageConfig.scratch(Platform.parse("linux/amd64")).raw()),
        Arguments.of(
            "config after toBuilder",
            OciValidator.CONFIG,
            ImageFixtures.everyConfigField().toBuilder()
                .platform(Platform.parse("windows/amd64"))
                .config(
                    ContainerConfig.EMPTY.toBuilder()
                        .entrypoint(Optional.of(List.of()))
                        .cmd(Optional.of(List.of()))
                        .build())
                .build()
                .raw()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("written")
  void writtenDocument_passesOciValidator(String name, String mediaType, byte[] raw) {
    OciValidator.assertValid(mediaType, raw);
  }

  @ParameterizedTest(name = "descriptors in {0}")
  @MethodSource("written")
  void everyWrittenDescriptor_passesOciValidatorOnItsOwn(String name, String mediaType, byte[] raw)
      throws IOException {
    JsonNode doc = new ObjectMapper().readTree(raw);
    List<JsonNode> descriptors = new ArrayList<>();
    doc.path("manifests").forEach(descriptors::add);
    doc.path("layers").forEach(descriptors::add);
    if (doc.has("config") && doc.get("config").has("digest")) {
      descriptors.add(doc.get("config"));
    }
    for (JsonNode d : descriptors) {
      OciValidator.assertValid(OciValidator.DESCRIPTOR, new ObjectMapper().writeValueAsBytes(d));
    }
  }

  /**
   * The OCI schema wants at least one layer: a manifest hoist writes for a layer-less image (FROM
   * scratch with config changes only) fails it, and so does a Docker one once mapped to OCI.
   * Callers that write OCI manifests must know this.
   */
  @Test
  void layerlessManifest_failsTheOciSchema_inBothFamilies() {
    Manifest oci =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 10),
            List.of());
    List<String> problems = OciValidator.validate(OciValidator.MANIFEST, oci.raw());
    assertFalse(problems.isEmpty());
    assertTrue(problems.toString().contains("layers"), problems.toString());
    Manifest docker =
        Manifest.of(
            MediaTypes.DOCKER_MANIFEST,
            Descriptor.of(MediaTypes.DOCKER_CONFIG, ImageFixtures.CONFIG_DIGEST, 10),
            List.of());
    // Mapped to OCI the same rule applies, as upstream's backcompat test maps it.
    assertFalse(OciValidator.validate(OciValidator.DOCKER_MANIFEST, docker.raw()).isEmpty());
  }

  @Test
  void validator_catchesABrokenConfig_soThePassesAboveMeanSomething() {
    byte[] broken =
        ImageFixtures.utf8(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"NOEQUALS\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    List<String> problems = OciValidator.validate(OciValidator.CONFIG, broken);
    assertTrue(problems.toString().contains("NOEQUALS"), problems.toString());
  }
}
