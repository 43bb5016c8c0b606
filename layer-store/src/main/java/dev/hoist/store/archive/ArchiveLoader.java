package dev.hoist.store.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestingInputStream;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.layer.DecompressionLimit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * {@code hoist load}: reads a docker-archive ({@code docker save}, {@code skopeo copy …
 * docker-archive:}) or an OCI archive (a tar of an OCI layout), plain or gzipped, into the store.
 *
 * <p>A docker-archive is recognised by its {@code manifest.json}, which wins when an archive (as
 * Docker 25+ writes them) is both. Its layers are uncompressed tars whose digest is their diff id;
 * they are stored as given, media type {@code application/vnd.oci.image.layer.v1.tar} (or {@code
 * …tar+gzip} when an archive holds a gzipped layer): loading then costs one copy and no
 * compression, and the config keeps its bytes, so the image id is the one {@code docker load}
 * shows. The image gets a new OCI manifest; compression, if wanted, happens at push.
 *
 * <p>An OCI archive's blobs are stored as they are, checked against their names; entries of its
 * {@code index.json} are named from {@code io.containerd.image.name} or else {@code
 * org.opencontainers.image.ref.name} when that is a full reference (a bare tag such as {@code
 * latest} names no repository, so that image is kept unnamed).
 *
 * <p>Every byte is checked: files named by digest against it, layers against the config's diff ids.
 * Nothing is named until all of an image's blobs are in the store.
 */
public final class ArchiveLoader {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTAINERD_NAME = "io.containerd.image.name";

  private final Store store;

  public ArchiveLoader(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Loads every image of {@code archive}; returns them in archive order. */
  public List<LoadedImage> load(Path archive) throws IOException {
    Objects.requireNonNull(archive, "archive");
    if (!Files.isRegularFile(archive)) {
      throw new java.nio.file.NoSuchFileException(archive.toString());
    }
    try (StagedArchive staged = StagedArchive.read(store, archive)) {
      if (staged.has("manifest.json")) {
        return loadDocker(staged);
      }
      if (staged.has("index.json")) {
        return loadOci(staged);
      }
      throw new ArchiveException(
          archive,
          "has neither manifest.json (docker-archive) nor index.json (OCI archive); write it with"
              + " 'docker save', 'skopeo copy' or 'hoist save'");
    }
  }

  private JsonNode json(StagedArchive staged, StagedArchive.Staged file) throws IOException {
    try {
      return JSON.readTree(staged.bytes(file, Store.MAX_JSON_BYTES));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ArchiveException(
          staged.archive(), "'" + file.name() + "' is not valid JSON: " + e.getOriginalMessage());
    }
  }

  // ---- docker-archive ----

  private List<LoadedImage> loadDocker(StagedArchive staged) throws IOException {
    Path archive = staged.archive();
    JsonNode manifest = json(staged, staged.require("manifest.json", "file"));
    if (!manifest.isArray()) {
      throw new ArchiveException(archive, "manifest.json is not a JSON array");
    }
    List<LoadedImage> out = new ArrayList<>();
    for (JsonNode item : manifest) {
      String configName = item.path("Config").asText("");
      if (configName.isEmpty()) {
        throw new ArchiveException(archive, "an entry of manifest.json has no Config");
      }
      StagedArchive.Staged configFile = staged.require(configName, "config");
      byte[] configBytes = staged.bytes(configFile, Store.MAX_JSON_BYTES);
      ImageConfig config;
      try {
        config = ImageConfig.parse(configBytes);
      } catch (IllegalArgumentException e) {
        throw new ArchiveException(archive, "config '" + configName + "': " + e.getMessage());
      }
      JsonNode layers = item.path("Layers");
      if (layers.size() != config.diffIds().size()) {
        throw new ArchiveException(
            archive,
            "config '"
                + configName
                + "' lists "
                + config.diffIds().size()
                + " layers but manifest.json gives "
                + layers.size());
      }
      List<Descriptor> layerDescriptors = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        String layerName = layers.get(i).asText();
        StagedArchive.Staged layer = staged.require(layerName, "layer");
        Digest diffId = config.diffIds().get(i);
        Digest actual =
            layer.gzip()
                ? uncompressedDigest(layer, "archive " + archive + ": layer " + layerName)
                : layer.digest();
        if (!actual.equals(diffId)) {
          throw new ArchiveException(
              archive,
              "layer '"
                  + layerName
                  + "' has diff id "
                  + actual
                  + " but its config says "
                  + diffId
                  + "; the archive is corrupt");
        }
        String type = layer.gzip() ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER;
        layerDescriptors.add(moveIn(layer, type));
      }
      Descriptor configDescriptor = store.putBytes(MediaTypes.OCI_CONFIG, configBytes);
      Manifest m = Manifest.of(MediaTypes.OCI_MANIFEST, configDescriptor, layerDescriptors);
      Descriptor target = store.putBytes(m.mediaType(), m.raw());
      List<Reference> names = new ArrayList<>();
      for (JsonNode tag : item.path("RepoTags")) {
        try {
          names.add(Reference.parse(tag.asText()));
        } catch (IllegalArgumentException e) {
          throw new ArchiveException(archive, "manifest.json RepoTags: " + e.getMessage());
        }
      }
      name(target, names);
      out.add(new LoadedImage(target, config.digest(), names));
    }
    return out;
  }

  private static Digest uncompressedDigest(StagedArchive.Staged layer, String label)
      throws IOException {
    try (InputStream in =
        DecompressionLimit.fromEnvironment()
            .decompress(
                new BufferedInputStream(Files.newInputStream(layer.file())),
                c -> new GZIPInputStream(c, 1 << 16),
                label)) {
      DigestingInputStream d = new DigestingInputStream(in);
      d.transferTo(OutputStream.nullOutputStream());
      return d.digest();
    }
  }

  /** Moves a staged file into the store once; later uses find it there. */
  private Descriptor moveIn(StagedArchive.Staged s, String mediaType) throws IOException {
    return moveIn(s, mediaType, s.digest());
  }

  private Descriptor moveIn(StagedArchive.Staged s, String mediaType, Digest digest)
      throws IOException {
    if (s.blob().committed() || store.contains(digest)) {
      return Descriptor.of(mediaType, digest, s.size()); // the staged copy goes on close
    }
    if (digest.equals(s.digest())) {
      return s.blob().commit(mediaType); // hashed as it was written: no second read
    }
    return store.putTempFile(s.file(), mediaType, digest); // another algorithm: check it
  }

  private void name(Descriptor target, List<Reference> names) throws IOException {
    if (names.isEmpty()) {
      store.keep(target);
    }
    for (Reference r : names) {
      store.tag(r, target);
    }
  }

  // ---- OCI archive ----

  private List<LoadedImage> loadOci(StagedArchive staged) throws IOException {
    Path archive = staged.archive();
    Index index;
    try {
      index = Index.parse(staged.bytes(staged.require("index.json", "file"), Store.MAX_JSON_BYTES));
    } catch (IllegalArgumentException e) {
      throw new ArchiveException(archive, "index.json: " + e.getMessage());
    }
    List<LoadedImage> out = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      if (!MediaTypes.isManifest(entry.mediaType()) && !MediaTypes.isIndex(entry.mediaType())) {
        continue; // e.g. an attestation or signature entry: not an image
      }
      Digest id = copyClosure(staged, entry);
      Descriptor target = entry.withAnnotations(java.util.Map.of());
      List<Reference> names = new ArrayList<>();
      nameFrom(entry).ifPresent(names::add);
      name(target, names);
      out.add(new LoadedImage(target, id, names));
    }
    if (out.isEmpty()) {
      throw new ArchiveException(archive, "index.json lists no image manifest");
    }
    return out;
  }

  private static Optional<Reference> nameFrom(Descriptor entry) {
    Optional<String> name =
        entry
            .annotation(CONTAINERD_NAME)
            .or(
                () ->
                    entry
                        .annotation(Store.REF_NAME)
                        .filter(n -> n.contains("/") || n.contains(":")));
    try {
      return name.map(Reference::parse);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Stores {@code d} and everything it refers to, checking each blob against its name and size;
   * returns the image id (of the first manifest, for an index).
   */
  private Digest copyClosure(StagedArchive staged, Descriptor d) throws IOException {
    StagedArchive.Staged blob = blob(staged, d);
    Digest id = null;
    if (MediaTypes.isIndex(d.mediaType())) {
      Index child =
          Index.parse(staged.bytes(blob, Store.MAX_JSON_BYTES), Optional.of(d.mediaType()));
      for (Descriptor m : child.manifests()) {
        if (staged.file(blobName(m.digest())).isPresent()
            && (MediaTypes.isManifest(m.mediaType()) || MediaTypes.isIndex(m.mediaType()))) {
          Digest childId = copyClosure(staged, m);
          id = id == null ? childId : id;
        }
      }
    } else if (MediaTypes.isManifest(d.mediaType())) {
      Manifest m;
      try {
        m = Manifest.parse(staged.bytes(blob, Store.MAX_JSON_BYTES), Optional.of(d.mediaType()));
      } catch (IllegalArgumentException e) {
        throw new ArchiveException(
            staged.archive(), "manifest " + d.digest() + ": " + e.getMessage());
      }
      StagedArchive.Staged config = blob(staged, m.config());
      ImageConfig.parse(staged.bytes(config, Store.MAX_JSON_BYTES));
      moveIn(config, m.config().mediaType(), m.config().digest());
      for (Descriptor layer : m.layers()) {
        if (MediaTypes.isForeignLayer(layer.mediaType())
            && staged.file(blobName(layer.digest())).isEmpty()) {
          continue;
        }
        moveIn(blob(staged, layer), layer.mediaType(), layer.digest());
      }
      id = m.config().digest();
    }
    moveIn(blob, d.mediaType(), d.digest());
    if (id == null) {
      throw new ArchiveException(
          staged.archive(), "index " + d.digest() + " has no manifest in the archive");
    }
    return id;
  }

  private static String blobName(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }

  private StagedArchive.Staged blob(StagedArchive staged, Descriptor d) throws IOException {
    StagedArchive.Staged s = staged.require(blobName(d.digest()), "blob");
    Digest actual = s.digest();
    if (!d.digest().algorithm().equals(Digest.SHA256)) {
      try (InputStream in = Files.newInputStream(s.file())) {
        DigestingInputStream din = new DigestingInputStream(in, d.digest().algorithm());
        din.transferTo(OutputStream.nullOutputStream());
        actual = din.digest();
      }
    }
    if (!actual.equals(d.digest()) || s.size() != d.size()) {
      throw new ArchiveException(
          staged.archive(),
          "blob "
              + d.digest()
              + " holds "
              + s.size()
              + " bytes with digest "
              + actual
              + " (descriptor says "
              + d.size()
              + " bytes); the archive is corrupt");
    }
    return s;
  }
}
