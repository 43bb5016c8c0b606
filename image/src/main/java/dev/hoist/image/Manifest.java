package dev.hoist.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image manifest (OCI or Docker schema 2): a config and its layers. Keeps the exact bytes it was
 * read from or written as; its digest is always of those bytes.
 */
public final class Manifest {
  private final byte[] raw;
  private final String mediaType;
  private final Descriptor config;
  private final List<Descriptor> layers;
  private final Map<String, String> annotations;
  private final Optional<Descriptor> subject;
  private final Digest digest;

  private Manifest(
      byte[] raw,
      String mediaType,
      Descriptor config,
      List<Descriptor> layers,
      Map<String, String> annotations,
      Optional<Descriptor> subject) {
    this.raw = raw;
    this.mediaType = mediaType;
    this.config = config;
    this.layers = List.copyOf(layers);
    this.annotations = Map.copyOf(annotations);
    this.subject = subject;
    this.digest = Digest.sha256(raw);
  }

  /**
   * Parses manifest bytes. {@code declaredType} is the Content-Type or descriptor media type the
   * bytes came with, used when the JSON has no {@code mediaType} of its own (OCI allows that).
   */
  public static Manifest parse(byte[] raw, Optional<String> declaredType) {
    JsonNode n = ImageJson.read(raw, "manifest");
    return ImageJson.in("manifest", () -> parse(raw, n, declaredType));
  }

  private static Manifest parse(byte[] raw, JsonNode n, Optional<String> declaredType) {
    String mediaType =
        ImageJson.text(n, "mediaType").or(() -> declaredType).orElse(MediaTypes.OCI_MANIFEST);
    JsonNode version = n.path("schemaVersion");
    if (MediaTypes.isSchema1(mediaType) || (version.isIntegralNumber() && version.asLong() == 1)) {
      throw new InvalidImageJsonException(
          "manifest is Docker schema 1, which hoist does not read; re-push the image with a"
              + " current Docker or skopeo to convert it to schema 2");
    }
    if (!MediaTypes.isManifest(mediaType)) {
      throw new InvalidImageJsonException(
          "manifest: expected an image manifest but got media type "
              + mediaType
              + (MediaTypes.isIndex(mediaType) ? " (an index: read it with Index.parse)" : ""));
    }
    ImageJson.requireSchemaVersion2(n, "manifest");
    JsonNode config = n.get("config");
    if (config == null || config.isNull()) {
      throw new InvalidImageJsonException("manifest has no config descriptor");
    }
    return new Manifest(
        raw.clone(),
        mediaType,
        ImageJson.descriptor(config, "config"),
        ImageJson.descriptors(n, "layers"),
        ImageJson.stringMap(n, "annotations"),
        ImageJson.optionalDescriptor(n, "subject"));
  }

  public static Manifest parse(byte[] raw) {
    return parse(raw, Optional.empty());
  }

  /** Writes a new manifest of {@code mediaType} (OCI or Docker schema 2). */
  public static Manifest of(
      String mediaType,
      Descriptor config,
      List<Descriptor> layers,
      Map<String, String> annotations) {
    if (!MediaTypes.isManifest(mediaType)) {
      throw new IllegalArgumentException("not a manifest media type: " + mediaType);
    }
    ObjectNode n = ImageJson.NODES.objectNode();
    n.put("schemaVersion", 2);
    n.put("mediaType", mediaType);
    n.set("config", ImageJson.descriptorNode(config));
    n.set("layers", ImageJson.descriptorArray(layers));
    ImageJson.putMap(n, "annotations", annotations);
    return new Manifest(
        ImageJson.write(n), mediaType, config, layers, annotations, Optional.empty());
  }

  public static Manifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
    return of(mediaType, config, layers, Map.of());
  }

  /** A copy of the exact bytes of this manifest. */
  public byte[] raw() {
    return raw.clone();
  }

  public Digest digest() {
    return digest;
  }

  public long size() {
    return raw.length;
  }

  /** A descriptor of this manifest, as an index or a registry names it. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, raw.length);
  }

  public String mediaType() {
    return mediaType;
  }

  public boolean isDocker() {
    return mediaType.equals(MediaTypes.DOCKER_MANIFEST);
  }

  public Descriptor config() {
    return config;
  }

  public List<Descriptor> layers() {
    return layers;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  public Optional<Descriptor> subject() {
    return subject;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && Arrays.equals(raw, m.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest);
  }

  @Override
  public String toString() {
    return "Manifest[" + mediaType + " " + digest + "]";
  }
}
