package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # media type                                                     | kind     | compression | foreign
          application/vnd.oci.image.index.v1+json                          | index    | -           | false
          application/vnd.docker.distribution.manifest.list.v2+json        | index    | -           | false
          application/vnd.oci.image.manifest.v1+json                       | manifest | -           | false
          application/vnd.docker.distribution.manifest.v2+json             | manifest | -           | false
          application/vnd.docker.distribution.manifest.v1+json             | schema1  | -           | false
          application/vnd.docker.distribution.manifest.v1+prettyjws        | schema1  | -           | false
          application/vnd.oci.image.config.v1+json                         | config   | -           | false
          application/vnd.docker.container.image.v1+json                   | config   | -           | false
          application/vnd.oci.image.layer.v1.tar                           | layer    | NONE        | false
          application/vnd.oci.image.layer.v1.tar+gzip                      | layer    | GZIP        | false
          application/vnd.oci.image.layer.v1.tar+zstd                      | layer    | ZSTD        | false
          application/vnd.oci.image.layer.nondistributable.v1.tar          | layer    | NONE        | true
          application/vnd.oci.image.layer.nondistributable.v1.tar+gzip     | layer    | GZIP        | true
          application/vnd.oci.image.layer.nondistributable.v1.tar+zstd     | layer    | ZSTD        | true
          application/vnd.docker.image.rootfs.diff.tar.gzip                | layer    | GZIP        | false
          application/vnd.docker.image.rootfs.diff.tar.zstd                | layer    | ZSTD        | false
          application/vnd.docker.image.rootfs.foreign.diff.tar.gzip        | layer    | GZIP        | true
          application/vnd.oci.empty.v1+json                                | other    | -           | false
          """)
  void eachMediaType_isClassifiedAsWhatItIs(
      String mediaType, String kind, String compression, boolean foreign) {
    assertEquals(kind.equals("index"), MediaTypes.isIndex(mediaType), "isIndex");
    assertEquals(kind.equals("manifest"), MediaTypes.isManifest(mediaType), "isManifest");
    assertEquals(kind.equals("schema1"), MediaTypes.isSchema1(mediaType), "isSchema1");
    assertEquals(kind.equals("config"), MediaTypes.isConfig(mediaType), "isConfig");
    assertEquals(kind.equals("layer"), MediaTypes.isLayer(mediaType), "isLayer");
    assertEquals(foreign, MediaTypes.isForeignLayer(mediaType), "isForeignLayer");
    if (kind.equals("layer")) {
      assertEquals(Compression.valueOf(compression), MediaTypes.compressionOf(mediaType));
    }
  }

  @Test
  void compressionOf_aNonLayerType_isRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MediaTypes.compressionOf(MediaTypes.OCI_CONFIG));
    assertTrue(e.getMessage().contains(MediaTypes.OCI_CONFIG), e.getMessage());
  }

  @ParameterizedTest(name = "{0} docker={1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          NONE | false | application/vnd.oci.image.layer.v1.tar
          GZIP | false | application/vnd.oci.image.layer.v1.tar+gzip
          ZSTD | false | application/vnd.oci.image.layer.v1.tar+zstd
          NONE | true  | application/vnd.oci.image.layer.v1.tar
          GZIP | true  | application/vnd.docker.image.rootfs.diff.tar.gzip
          ZSTD | true  | application/vnd.docker.image.rootfs.diff.tar.zstd
          """)
  void layerType_isTheTypeOfTheManifestFamily_andRoundTrips(
      Compression compression, boolean docker, String mediaType) {
    assertEquals(mediaType, MediaTypes.layerType(compression, docker));
    assertEquals(compression, MediaTypes.compressionOf(mediaType));
  }

  @Test
  void manifestAccept_listsEveryReadableFormIndexesFirst() {
    List<String> accept = List.of(MediaTypes.MANIFEST_ACCEPT.split(", "));
    assertEquals(
        List.of(
            MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST),
        accept);
  }

  @Test
  void descriptor_refusesNegativeSizes_andCopiesItsCollections() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Descriptor.of(MediaTypes.OCI_LAYER, ImageFixtures.LAYER_1, -1));
    java.util.Map<String, String> annotations = new java.util.HashMap<>();
    annotations.put("a", "1");
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER, ImageFixtures.LAYER_1, 1);
    Descriptor annotated = d.withAnnotations(annotations);
    annotations.put("b", "2");
    assertEquals(java.util.Map.of("a", "1"), annotated.annotations());
    assertEquals(Optional.of("1"), annotated.annotation("a"));
    assertEquals(Optional.empty(), d.annotation("a"));
    assertEquals(
        Optional.of(Platform.of("linux", "amd64")),
        d.withPlatform(Platform.of("linux", "amd64")).platform());
  }
}
