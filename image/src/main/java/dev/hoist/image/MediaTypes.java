package dev.hoist.image;

import java.util.Set;

/** The media types of OCI and Docker schema 2 images, and what each one is. */
public final class MediaTypes {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_V1 =
      "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_MANIFEST_V1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
  public static final String DOCKER_LAYER_ZSTD =
      "application/vnd.docker.image.rootfs.diff.tar.zstd";

  /** The Accept list for manifest requests: every form hoist can read, indexes first. */
  public static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  private static final Set<String> SCHEMA1 = Set.of(DOCKER_MANIFEST_V1, DOCKER_MANIFEST_V1_SIGNED);
  private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
  private static final Set<String> FOREIGN =
      Set.of(
          DOCKER_LAYER_FOREIGN_GZIP,
          OCI_LAYER_NONDISTRIBUTABLE,
          OCI_LAYER_NONDISTRIBUTABLE_GZIP,
          OCI_LAYER_NONDISTRIBUTABLE_ZSTD);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return INDEXES.contains(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return MANIFESTS.contains(mediaType);
  }

  public static boolean isSchema1(String mediaType) {
    return SCHEMA1.contains(mediaType);
  }

  public static boolean isConfig(String mediaType) {
    return CONFIGS.contains(mediaType);
  }

  /** Whether layers of this type must not be pushed (their {@code urls} say where they live). */
  public static boolean isForeignLayer(String mediaType) {
    return FOREIGN.contains(mediaType);
  }

  public static boolean isLayer(String mediaType) {
    return mediaType.startsWith("application/vnd.oci.image.layer.")
        || mediaType.startsWith("application/vnd.docker.image.rootfs.");
  }

  /** How a layer of this media type is compressed. */
  public static Compression compressionOf(String mediaType) {
    if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) {
      return Compression.GZIP;
    }
    if (mediaType.endsWith("+zstd") || mediaType.endsWith(".tar.zstd")) {
      return Compression.ZSTD;
    }
    if (mediaType.endsWith(".tar")) {
      return Compression.NONE;
    }
    throw new IllegalArgumentException("not a layer media type: " + mediaType);
  }

  /** The layer media type for a compression, in the OCI or the Docker family of a manifest. */
  public static String layerType(Compression compression, boolean docker) {
    return switch (compression) {
      case NONE -> OCI_LAYER;
      case GZIP -> docker ? DOCKER_LAYER_GZIP : OCI_LAYER_GZIP;
      case ZSTD -> docker ? DOCKER_LAYER_ZSTD : OCI_LAYER_ZSTD;
    };
  }
}
