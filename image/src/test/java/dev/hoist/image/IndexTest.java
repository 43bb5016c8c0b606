package dev.hoist.image;

import static dev.hoist.image.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexTest {
  private static final String A64 =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  /** An OCI layout's index.json as skopeo writes it: no mediaType, a ref.name annotation. */
  private static final String LAYOUT_INDEX =
      """
      {
         "schemaVersion": 2,
         "manifests": [
            {
               "mediaType": "application/vnd.oci.image.manifest.v1+json",
               "digest": "sha256:%s",
               "size": 500,
               "annotations": {
                  "org.opencontainers.image.ref.name": "docker.io/library/busybox:latest"
               },
               "platform": { "architecture": "arm", "os": "linux", "variant": "v7" }
            }
         ]
      }
      """
          .formatted(A64);

  @Test
  void parse_keepsTheExactBytes_ofALayoutIndexWithoutMediaType() {
    byte[] raw = utf8(LAYOUT_INDEX);
    Index index = Index.parse(raw);
    assertArrayEquals(raw, index.raw());
    assertEquals(Digest.sha256(raw), index.digest());
    assertEquals(Optional.empty(), index.mediaType());
    assertEquals(Descriptor.of(MediaTypes.OCI_INDEX, raw), index.descriptor());
    Descriptor d = index.manifests().get(0);
    assertEquals(ImageFixtures.sha('a'), d.digest());
    assertEquals(
        Optional.of("docker.io/library/busybox:latest"),
        d.annotation("org.opencontainers.image.ref.name"));
    assertEquals(Optional.of(Platform.parse("linux/arm/v7")), d.platform());
  }

  @Test
  void parse_withoutMediaType_takesTheDeclaredOne() {
    Index index = Index.parse(utf8(LAYOUT_INDEX), Optional.of(MediaTypes.DOCKER_MANIFEST_LIST));
    assertEquals(Optional.of(MediaTypes.DOCKER_MANIFEST_LIST), index.mediaType());
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, index.descriptor().mediaType());
  }

  @Test
  void everyField_survivesWriteThenParse() {
    Index built = ImageFixtures.everyIndexField();
    Index parsed = Index.parse(built.raw());
    assertEquals(built.mediaType(), parsed.mediaType());
    assertEquals(built.manifests(), parsed.manifests());
    assertEquals(built.annotations(), parsed.annotations());
    assertEquals(built, parsed);
    assertEquals(
        Optional.of("application/vnd.example.sbom+json"), parsed.manifests().get(2).artifactType());
    assertEquals(
        Optional.of("10.0.17763.5329"), parsed.manifests().get(1).platform().get().osVersion());
  }

  @Test
  void of_twice_givesIdenticalBytes() {
    assertArrayEquals(ImageFixtures.everyIndexField().raw(), ImageFixtures.everyIndexField().raw());
  }

  @Test
  void of_withoutMediaType_leavesItOut_asALayoutIndexMay() {
    Index index =
        Index.of(
            Optional.empty(),
            List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, ImageFixtures.sha('a'), 500)),
            Map.of());
    assertEquals(
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
            + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
            + A64
            + "\",\"size\":500}]}",
        new String(index.raw(), StandardCharsets.UTF_8));
  }

  @Test
  void of_aDockerManifestList_keepsItsMediaType() {
    Index list =
        Index.of(
            Optional.of(MediaTypes.DOCKER_MANIFEST_LIST),
            List.of(
                Descriptor.of(MediaTypes.DOCKER_MANIFEST, ImageFixtures.sha('a'), 500)
                    .withPlatform(Platform.parse("linux/amd64"))),
            Map.of());
    assertEquals(Optional.of(MediaTypes.DOCKER_MANIFEST_LIST), Index.parse(list.raw()).mediaType());
  }

  @Test
  void of_anEmptyIndex_isValid() {
    Index empty = Index.of(List.of());
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[]}",
        new String(empty.raw(), StandardCharsets.UTF_8));
    assertEquals(List.of(), Index.parse(empty.raw()).manifests());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          '{"schemaVersion":2}'                                                      | index has no 'manifests'
          '{"manifests":[]}'                                                         | index schemaVersion must be 2, not missing
          '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]}' | index: expected an image index but got media type application/vnd.oci.image.manifest.v1+json (a manifest: read it with Manifest.parse)
          '{"schemaVersion":2,"manifests":{}}'                                       | index: field 'manifests' must be an array
          '{"schemaVersion":2,"manifests":["x"]}'                                    | index: descriptor in 'manifests' must be an object
          '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"platform":"linux"}]}' | index: field 'platform' must be an object
          '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"platform":{"architecture":"amd64"}}]}' | index: platform has no 'os'
          '{"schemaVersion":2,"manifests":[{"mediaType":"a/b","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"platform":{"os":"linux","architecture":"amd64","os.features":"x"}}]}' | index: field 'os.features' must be an array of strings
          '{"schemaVersion":2,"manifests":[],"annotations":[]}'                      | index: field 'annotations' must be an object of strings
          """)
  void parse_refusesMalformedIndexes_withAOneLineMessage(String json, String message) {
    InvalidImageJsonException e =
        assertThrows(InvalidImageJsonException.class, () -> Index.parse(utf8(json)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void firstNonImage_namesANestedIndexOrArtifact_andIsEmptyForImagesOnly() {
    Descriptor image = Descriptor.of(MediaTypes.OCI_MANIFEST, ImageFixtures.sha('a'), 500);
    Descriptor nested = Descriptor.of(MediaTypes.OCI_INDEX, ImageFixtures.sha('b'), 300);
    assertEquals(Optional.empty(), Index.of(List.of(image)).firstNonImage());
    Index mixed = Index.of(List.of(image, nested));
    assertEquals(
        Optional.of(
            "its index "
                + mixed.digest()
                + " lists "
                + nested.digest()
                + " of type '"
                + MediaTypes.OCI_INDEX
                + "', not an image manifest"),
        mixed.firstNonImage());
  }
}
