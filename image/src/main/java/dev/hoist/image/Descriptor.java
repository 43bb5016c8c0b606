package dev.hoist.image;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A content descriptor: what a manifest or index says of one blob it points to. */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    Optional<Platform> platform,
    Optional<String> artifactType) {

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative descriptor size " + size + " for " + digest);
    }
    urls = List.copyOf(urls);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(artifactType, "artifactType");
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(
        mediaType, digest, size, List.of(), Map.of(), Optional.empty(), Optional.empty());
  }

  /** Describes {@code bytes} themselves. */
  public static Descriptor of(String mediaType, byte[] bytes) {
    return of(mediaType, Digest.sha256(bytes), bytes.length);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
  }

  public Descriptor withPlatform(Platform newPlatform) {
    return new Descriptor(
        mediaType, digest, size, urls, annotations, Optional.of(newPlatform), artifactType);
  }

  public Optional<String> annotation(String key) {
    return Optional.ofNullable(annotations.get(key));
  }

  // equals and hashCode are written out: a record's generated ones are linked through
  // invokedynamic on first use, which costs milliseconds of every hoist start (JFR) for the
  // value types every command compares.
  @Override
  public boolean equals(Object o) {
    return o instanceof Descriptor d
        && size == d.size
        && digest.equals(d.digest)
        && mediaType.equals(d.mediaType)
        && urls.equals(d.urls)
        && annotations.equals(d.annotations)
        && platform.equals(d.platform)
        && artifactType.equals(d.artifactType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mediaType, digest, size, urls, annotations, platform, artifactType);
  }
}
