package dev.hoist.image;

import static dev.hoist.image.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestTest {
  private static final String C64 =
      "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
  private static final String ONE64 =
      "1111111111111111111111111111111111111111111111111111111111111111";

  private static final String PRETTY =
      """
      {
        "layers" : [ {
          "size" : 100,
          "digest" : "sha256:%s",
          "mediaType" : "application/vnd.oci.image.layer.v1.tar+gzip"
        } ],
        "config" : {
          "digest" : "sha256:%s",
          "mediaType" : "application/vnd.oci.image.config.v1+json",
          "size" : 1234
        },
        "schemaVersion" : 2,
        "annotations" : { "b" : "2", "a" : "1" }
      }
      """
          .formatted(ONE64, C64);

  @Test
  void parse_keepsTheExactBytes_andDigestsThem() {
    byte[] raw = utf8(PRETTY);
    Manifest m = Manifest.parse(raw);
    assertArrayEquals(raw, m.raw());
    assertEquals(Digest.sha256(raw), m.digest());
    assertEquals(raw.length, m.size());
    assertEquals(Descriptor.of(MediaTypes.OCI_MANIFEST, raw), m.descriptor());
    assertEquals(
        Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 1234), m.config());
    assertEquals(List.of(ImageFixtures.layer(ImageFixtures.LAYER_1, 100)), m.layers());
    assertEquals(Map.of("a", "1", "b", "2"), m.annotations());
    assertEquals(Optional.empty(), m.subject());
    assertFalse(m.isDocker());
  }

  @Test
  void parse_withoutMediaType_takesTheDeclaredOne_elseOci() {
    byte[] raw = utf8(PRETTY);
    assertEquals(MediaTypes.OCI_MANIFEST, Manifest.parse(raw).mediaType());
    assertEquals(
        MediaTypes.DOCKER_MANIFEST,
        Manifest.parse(raw, Optional.of(MediaTypes.DOCKER_MANIFEST)).mediaType());
  }

  @Test
  void parse_ofADockerManifest_isDocker() {
    Manifest docker =
        Manifest.of(
            MediaTypes.DOCKER_MANIFEST,
            Descriptor.of(MediaTypes.DOCKER_CONFIG, ImageFixtures.CONFIG_DIGEST, 10),
            List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, ImageFixtures.LAYER_1, 100)));
    Manifest parsed = Manifest.parse(docker.raw());
    assertTrue(parsed.isDocker());
    assertEquals(docker, parsed);
    assertEquals(docker.hashCode(), parsed.hashCode());
  }

  @Test
  void parse_readsTheSubject() {
    String json =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
            + "\"digest\":\"sha256:"
            + C64
            + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":"
            + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
            + ONE64
            + "\",\"size\":7}}";
    Manifest m = Manifest.parse(utf8(json));
    assertEquals(
        Optional.of(Descriptor.of(MediaTypes.OCI_MANIFEST, ImageFixtures.LAYER_1, 7)), m.subject());
  }

  @Test
  void of_writesCompactJsonInAFixedOrder() {
    Manifest m =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 1234),
            List.of(ImageFixtures.layer(ImageFixtures.LAYER_1, 100)),
            Map.of("b", "2", "a", "1"));
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
            + "\"digest\":\"sha256:"
            + C64
            + "\",\"size\":1234},"
            + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
            + "\"digest\":\"sha256:"
            + ONE64
            + "\",\"size\":100}],"
            + "\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}",
        new String(m.raw(), StandardCharsets.UTF_8));
    assertEquals(Digest.sha256(m.raw()), m.digest());
  }

  @Test
  void of_twice_givesIdenticalBytes_whateverTheAnnotationOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 1);
    assertArrayEquals(
        Manifest.of(MediaTypes.OCI_MANIFEST, config, List.of(), ab).raw(),
        Manifest.of(MediaTypes.OCI_MANIFEST, config, List.of(), ba).raw());
    assertArrayEquals(
        ImageFixtures.everyManifestField().raw(), ImageFixtures.everyManifestField().raw());
  }

  @Test
  void everyField_survivesWriteThenParse() {
    Manifest built = ImageFixtures.everyManifestField();
    Manifest parsed = Manifest.parse(built.raw());
    assertEquals(built.mediaType(), parsed.mediaType());
    assertEquals(built.config(), parsed.config());
    assertEquals(built.layers(), parsed.layers());
    assertEquals(built.annotations(), parsed.annotations());
    assertEquals(built.digest(), parsed.digest());
    assertEquals(List.of("https://example.com/layer.tar.gz"), parsed.layers().get(1).urls());
  }

  @Test
  void of_refusesANonManifestMediaType() {
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, ImageFixtures.CONFIG_DIGEST, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Manifest.of(MediaTypes.OCI_INDEX, config, List.of()));
    assertTrue(e.getMessage().contains(MediaTypes.OCI_INDEX), e.getMessage());
  }

  @Test
  void parse_refusesSchema1_sayingHowToConvert() {
    String schema1 =
        "{\"schemaVersion\":1,\"name\":\"library/x\",\"tag\":\"1\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[],\"history\":[]}";
    for (Optional<String> declared :
        List.of(
            Optional.<String>empty(),
            Optional.of(MediaTypes.DOCKER_MANIFEST_V1_SIGNED),
            Optional.of(MediaTypes.DOCKER_MANIFEST_V1))) {
      InvalidImageJsonException e =
          assertThrows(
              InvalidImageJsonException.class, () -> Manifest.parse(utf8(schema1), declared));
      assertTrue(e.getMessage().contains("Docker schema 1"), e.getMessage());
      assertTrue(e.getMessage().contains("convert it to schema 2"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not json                                                                    | manifest is not valid JSON
          '"a string"'                                                                | manifest is not a JSON object
          '{"schemaVersion":2,"layers":[]}'                                           | manifest has no config descriptor
          '{"schemaVersion":2,"config":null,"layers":[]}'                             | manifest has no config descriptor
          '{"schemaVersion":2,"config":"x","layers":[]}'                              | manifest: descriptor in 'config' must be an object
          '{"layers":[],"config":{}}'                                                 | manifest schemaVersion must be 2, not missing
          '{"schemaVersion":"2","layers":[],"config":{}}'                             | manifest schemaVersion must be 2, not "2"
          '{"schemaVersion":3,"layers":[],"config":{}}'                               | manifest schemaVersion must be 2, not 3
          '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}' | manifest: expected an image manifest but got media type application/vnd.oci.image.index.v1+json (an index: read it with Index.parse)
          '{"schemaVersion":2,"mediaType":7}'                                         | manifest: field 'mediaType' must be a string
          '{"schemaVersion":2,"config":{"digest":"sha256:CCCC","size":1}}'            | manifest: descriptor in 'config' has no 'mediaType'
          '{"schemaVersion":2,"config":{"mediaType":"a/b","size":1}}'                 | manifest: descriptor in 'config' has no 'digest'
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:CCCC","size":1}}' | manifest: descriptor in 'config': invalid sha256 digest 'CCCC'
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}}' | manifest: descriptor sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc in 'config' has no valid size (a non-negative integer): missing
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":"1"}}' | has no valid size (a non-negative integer): "1"
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1.5}}' | has no valid size (a non-negative integer): 1.5
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":-1}}' | has no valid size (a non-negative integer): -1
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1},"layers":{}}' | manifest: field 'layers' must be an array
          '{"schemaVersion":2,"config":{"mediaType":"a/b","digest":"sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","size":1},"annotations":{"a":1}}' | manifest: field 'annotations.a' must be a string
          """)
  void parse_refusesMalformedManifests_withAOneLineMessage(String json, String message) {
    InvalidImageJsonException e =
        assertThrows(InvalidImageJsonException.class, () -> Manifest.parse(utf8(json)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void manifestsWithDifferentBytes_areNotEqual_evenWithTheSameContent() {
    Manifest compact = ImageFixtures.everyManifestField();
    String spaced = new String(compact.raw(), StandardCharsets.UTF_8).replace(",", ", ");
    Manifest other = Manifest.parse(utf8(spaced));
    assertEquals(compact.layers(), other.layers());
    assertNotEquals(compact, other);
    assertNotEquals(compact.digest(), other.digest());
  }
}
