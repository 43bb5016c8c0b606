package dev.hoist.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An image index (OCI) or manifest list (Docker): manifests per platform. Also the form of an OCI
 * layout's {@code index.json}. Keeps the exact bytes it was read from or written as.
 */
public final class Index {
  private final byte[] raw;
  private final Optional<String> mediaType;
  private final List<Descriptor> manifests;
  private final Map<String, String> annotations;
  private final Digest digest;

  private Index(
      byte[] raw,
      Optional<String> mediaType,
      List<Descriptor> manifests,
      Map<String, String> annotations) {
    this.raw = raw;
    this.mediaType = mediaType;
    this.manifests = List.copyOf(manifests);
    this.annotations = Map.copyOf(annotations);
    this.digest = Digest.sha256(raw);
  }

  public static Index parse(byte[] raw, Optional<String> declaredType) {
    JsonNode n = ImageJson.read(raw, "index");
    return ImageJson.in("index", () -> parse(raw, n, declaredType));
  }

  private static Index parse(byte[] raw, JsonNode n, Optional<String> declaredType) {
    Optional<String> mediaType = ImageJson.text(n, "mediaType").or(() -> declaredType);
    if (mediaType.isPresent() && !MediaTypes.isIndex(mediaType.get())) {
      throw new InvalidImageJsonException(
          "index: expected an image index but got media type "
              + mediaType.get()
              + (MediaTypes.isManifest(mediaType.get())
                  ? " (a manifest: read it with Manifest.parse)"
                  : ""));
    }
    ImageJson.requireSchemaVersion2(n, "index");
    if (!n.has("manifests") || n.get("manifests").isNull()) {
      throw new InvalidImageJsonException("index has no 'manifests'");
    }
    return new Index(
        raw.clone(),
        mediaType,
        ImageJson.descriptors(n, "manifests"),
        ImageJson.stringMap(n, "annotations"));
  }

  public static Index parse(byte[] raw) {
    return parse(raw, Optional.empty());
  }

  /** Writes a new index; {@code mediaType} empty leaves it out, as an OCI layout's may. */
  public static Index of(
      Optional<String> mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    ObjectNode n = ImageJson.NODES.objectNode();
    n.put("schemaVersion", 2);
    mediaType.ifPresent(m -> n.put("mediaType", m));
    n.set("manifests", ImageJson.descriptorArray(manifests));
    ImageJson.putMap(n, "annotations", annotations);
    return new Index(ImageJson.write(n), mediaType, manifests, annotations);
  }

  public static Index of(List<Descriptor> manifests) {
    return of(Optional.of(MediaTypes.OCI_INDEX), manifests, Map.of());
  }

  public byte[] raw() {
    return raw.clone();
  }

  public Digest digest() {
    return digest;
  }

  public Optional<String> mediaType() {
    return mediaType;
  }

  public List<Descriptor> manifests() {
    return manifests;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  public Descriptor descriptor() {
    return Descriptor.of(mediaType.orElse(MediaTypes.OCI_INDEX), digest, raw.length);
  }

  /**
   * The manifest for {@code wanted}: an exact variant match first, then (for 32-bit arm) the best
   * older variant that still runs, then, when {@code wanted} names no variant, any variant of the
   * same os and architecture.
   */
  public Optional<Descriptor> select(Platform wanted) {
    Platform want = wanted.normalized();
    for (Optional<String> variant : want.compatibleVariants()) {
      Platform w =
          new Platform(
              want.os(), want.architecture(), variant, want.osVersion(), want.osFeatures());
      Optional<Descriptor> exact =
          manifests.stream()
              .filter(
                  d ->
                      d.platform()
                          .map(p -> p.normalized().equals(withoutExtras(w, p)))
                          .orElse(false))
              .findFirst();
      if (exact.isPresent()) {
        return exact;
      }
    }
    return manifests.stream()
        .filter(d -> d.platform().map(want::matches).orElse(false))
        .findFirst();
  }

  private static Platform withoutExtras(Platform want, Platform candidate) {
    return new Platform(
            want.os(),
            want.architecture(),
            want.variant(),
            candidate.osVersion(),
            candidate.osFeatures())
        .normalized();
  }

  /**
   * The first entry that is not an image manifest (a nested index, an artifact), described for an
   * error message: "its index D lists C of type 'T', not an image manifest".
   */
  public Optional<String> firstNonImage() {
    return manifests.stream()
        .filter(d -> !MediaTypes.isManifest(d.mediaType()))
        .findFirst()
        .map(
            d ->
                "its index "
                    + digest()
                    + " lists "
                    + d.digest()
                    + " of type '"
                    + d.mediaType()
                    + "', not an image manifest");
  }

  /** The platforms this index offers, for an error message when none matches. */
  public List<String> platforms() {
    return manifests.stream()
        .map(d -> d.platform().map(Platform::toString).orElse("unknown"))
        .toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Index i && Arrays.equals(raw, i.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest);
  }

  @Override
  public String toString() {
    return "Index[" + digest + ", " + manifests.size() + " manifests]";
  }
}
