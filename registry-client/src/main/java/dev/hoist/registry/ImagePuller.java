package dev.hoist.registry;

import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A whole-image pull: manifest (via index and platform), then config and layers in parallel; each
 * blob's origin is recorded when the sink keeps origins (see {@link OriginHints}).
 */
final class ImagePuller {
  private final ManifestPuller manifests;
  private final BlobPuller blobs;
  private final ExecutorService pool;
  private final OriginHints origins;

  ImagePuller(
      ManifestPuller manifests, BlobPuller blobs, ExecutorService pool, OriginHints origins) {
    this.manifests = manifests;
    this.blobs = blobs;
    this.pool = pool;
    this.origins = origins;
  }

  PullResult pull(Reference ref, Platform platform, BlobSink sink, TransferListener l)
      throws IOException {
    Optional<BlobSource> local = sink instanceof BlobSource s ? Optional.of(s) : Optional.empty();
    // Fetched manifests are stored only once every blob they name is: a pull that fails half-way
    // (a revoked token, a bad layer) leaves no manifest behind for blobs the store lacks.
    List<RemoteManifest> fetchedManifests = new ArrayList<>();
    RemoteManifest root = manifest(ref, ref.identifier(), local, fetchedManifests);
    Optional<Index> index = Optional.empty();
    Manifest manifest;
    if (root.isIndex()) {
      Index idx = root.index();
      index = Optional.of(idx);
      Descriptor chosen =
          idx.select(platform)
              .orElseThrow(
                  () ->
                      new IOException(
                          "pull "
                              + ref
                              + ": no image for platform "
                              + platform
                              + " in its index (it has "
                              + String.join(", ", idx.platforms())
                              + "); choose one with --platform"));
      manifest = manifest(ref, chosen.digest().toString(), local, fetchedManifests).manifest();
    } else {
      manifest = root.manifest();
    }
    long total = fetchBlobs(ref, List.of(manifest), sink, l);
    storeManifests(sink, fetchedManifests);
    return new PullResult(ref, manifest, index, total);
  }

  /**
   * Pulls everything {@code ref} names, as {@code skopeo copy --all} does: an index with every
   * manifest it lists and their configs and layers, or a single manifest with its blobs. Bytes are
   * kept as served, so the digests stay the same; every blob is fetched before any manifest is
   * stored, and the index last.
   */
  PullAllResult pullAll(Reference ref, BlobSink sink, TransferListener l) throws IOException {
    Optional<BlobSource> local = sink instanceof BlobSource s ? Optional.of(s) : Optional.empty();
    List<RemoteManifest> fetchedManifests = new ArrayList<>();
    RemoteManifest root = manifest(ref, ref.identifier(), local, fetchedManifests);
    List<Manifest> images = new ArrayList<>();
    if (root.isIndex()) {
      Optional<String> nonImage = root.index().firstNonImage();
      if (nonImage.isPresent()) {
        throw new IOException(
            "pull " + ref + ": " + nonImage.get() + "; copy one platform with --platform instead");
      }
      for (Descriptor child : root.index().manifests()) {
        images.add(manifest(ref, child.digest().toString(), local, fetchedManifests).manifest());
      }
    } else {
      images.add(root.manifest());
    }
    long total = fetchBlobs(ref, images, sink, l);
    storeManifests(sink, fetchedManifests);
    return new PullAllResult(ref, root.descriptor(), images, total);
  }

  /** Fetches the configs and layers of {@code images} the sink lacks, in parallel. */
  private long fetchBlobs(Reference ref, List<Manifest> images, BlobSink sink, TransferListener l)
      throws IOException {
    // Configs first: small, and then never left waiting for a free slot behind large layers.
    Map<String, Descriptor> wanted = new LinkedHashMap<>();
    for (Manifest manifest : images) {
      wanted.putIfAbsent(manifest.config().digest().toString(), manifest.config());
    }
    for (Manifest manifest : images) {
      for (Descriptor d : manifest.layers()) {
        wanted.putIfAbsent(d.digest().toString(), d);
      }
    }
    List<Long> fetched =
        Blobs.parallel(
            pool,
            List.copyOf(wanted.values()),
            d -> {
              l.started(d);
              if (sink.contains(d.digest())) {
                origins.record(sink, d.digest(), ref.registry(), ref.repository());
                l.finished(d, TransferListener.Outcome.ALREADY_PRESENT);
                return 0L;
              }
              long n = blobs.pull(ref.registry(), ref.repository(), d, sink, l);
              origins.record(sink, d.digest(), ref.registry(), ref.repository());
              l.finished(d, TransferListener.Outcome.DOWNLOADED);
              return n;
            });
    return fetched.stream().mapToLong(Long::longValue).sum();
  }

  /** Stores fetched manifests in reverse order: an image manifest before the index naming it. */
  private static void storeManifests(BlobSink sink, List<RemoteManifest> fetched)
      throws IOException {
    for (int i = fetched.size() - 1; i >= 0; i--) {
      Blobs.store(sink, fetched.get(i));
    }
  }

  /**
   * The manifest named by {@code identifier}: from the local store when it has it (a tag is
   * resolved by HEAD, which Docker Hub does not count against the pull limit, unless the store
   * cannot hold that repository's manifests), else fetched and added to {@code fetched}, for the
   * caller to store.
   */
  private RemoteManifest manifest(
      Reference ref, String identifier, Optional<BlobSource> local, List<RemoteManifest> fetched)
      throws IOException {
    if (local.isPresent()) {
      Optional<Descriptor> known;
      if (identifier.contains(":")) {
        dev.hoist.image.Digest d = dev.hoist.image.Digest.parse(identifier);
        known = local.get().contains(d) ? Optional.of(Descriptor.of("", d, 0)) : Optional.empty();
      } else if (local.get().mayHoldManifestOf(ref)) {
        known = manifests.head(ref).filter(d -> containsQuietly(local.get(), d));
      } else {
        known = Optional.empty();
      }
      if (known.isPresent() && local.get().contains(known.get().digest())) {
        byte[] raw = Blobs.readSmall(local.get(), known.get().digest(), "manifest");
        String type = mediaTypeOf(raw, known.get().mediaType());
        return new RemoteManifest(raw, type, known.get().digest());
      }
    }
    RemoteManifest m = manifests.fetch(ref, identifier);
    fetched.add(m);
    return m;
  }

  private static boolean containsQuietly(BlobSource s, Descriptor d) {
    try {
      return s.contains(d.digest());
    } catch (IOException e) {
      return false;
    }
  }

  private static String mediaTypeOf(byte[] raw, String declared) {
    if (!declared.isEmpty()) {
      return declared;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);
      String t = n.path("mediaType").asText("");
      if (!t.isEmpty()) {
        return t;
      }
      return n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    } catch (IOException e) {
      return MediaTypes.OCI_MANIFEST;
    }
  }
}
