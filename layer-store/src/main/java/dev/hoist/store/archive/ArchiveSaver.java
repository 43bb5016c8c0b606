package dev.hoist.store.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.image.Compression;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestingInputStream;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.layer.DecompressionLimit;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code hoist save}: writes stored images as a docker-archive ({@code docker load}, {@code skopeo
 * … docker-archive:}) or an OCI archive ({@code skopeo … oci-archive:}). A file name ending in
 * {@code .gz} or {@code .tgz} is gzipped. The file appears whole or not at all (temp file in the
 * same directory, fsync, rename).
 *
 * <p>docker-archive: {@code <config hex>.json}, {@code <diff id hex>/layer.tar} (uncompressed, as
 * {@code docker load} requires; compressed layers are decompressed through a temp file and checked
 * against their diff ids), {@code manifest.json} and {@code repositories}. Images asked for by name
 * carry that name in {@code RepoTags}; images asked for by id carry none, as with {@code docker
 * save ID}.
 *
 * <p>OCI archive: {@code oci-layout}, the blobs as stored, and an {@code index.json} whose entries
 * carry {@code io.containerd.image.name} (the full name) and {@code
 * org.opencontainers.image.ref.name} (the tag), as Docker and containerd write them.
 */
public final class ArchiveSaver {
  private static final int MODE = 0100644;

  private final Store store;

  public ArchiveSaver(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** One image to write and the names it is written under. */
  private record Item(StoredImage image, List<Reference> names) {}

  /** Writes the images that {@code refs} name (names, ids or digests) to {@code out}. */
  public void save(List<String> refs, Path out, ArchiveFormat format) throws IOException {
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("name at least one image to save");
    }
    Map<Digest, Item> items = new LinkedHashMap<>();
    for (String text : refs) {
      StoredImage image = store.resolve(text);
      Optional<Reference> name = asName(text).filter(image.names()::contains);
      Item item =
          items.computeIfAbsent(image.target().digest(), d -> new Item(image, new ArrayList<>()));
      name.filter(n -> !item.names().contains(n)).ifPresent(item.names()::add);
    }
    Path target = out.toAbsolutePath();
    Path tmp =
        target.resolveSibling("." + target.getFileName() + "." + UniqueNames.next() + ".tmp");
    boolean gzip = target.toString().endsWith(".gz") || target.toString().endsWith(".tgz");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream file = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        OutputStream body = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(body);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        if (format == ArchiveFormat.DOCKER_ARCHIVE) {
          writeDocker(tar, List.copyOf(items.values()));
        } else {
          writeOci(tar, List.copyOf(items.values()));
        }
        tar.finish();
        body.flush();
        if (body instanceof GZIPOutputStream g) {
          g.finish();
        }
        file.flush();
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Optional<Reference> asName(String text) {
    try {
      return Optional.of(Reference.parse(text.trim()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---- docker-archive ----

  private void writeDocker(TarArchiveOutputStream tar, List<Item> items) throws IOException {
    Set<String> written = new HashSet<>();
    ArrayNode manifest = ArchiveLoader.JSON.createArrayNode();
    Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
    for (Item item : items) {
      StoredImage image = item.image();
      Manifest m = image.manifest();
      List<Digest> diffIds = image.config().diffIds();
      if (diffIds.size() != m.layers().size()) {
        throw new IOException(
            "image "
                + image.id().shortHex()
                + " has "
                + m.layers().size()
                + " layers but its config lists "
                + diffIds.size()
                + " diff ids; it cannot be saved as a docker-archive");
      }
      String configName = image.id().hex() + ".json";
      if (written.add(configName)) {
        entry(tar, configName, image.config().raw());
      }
      ArrayNode layerNames = ArchiveLoader.JSON.createArrayNode();
      for (int i = 0; i < diffIds.size(); i++) {
        String name = diffIds.get(i).hex() + "/layer.tar";
        if (written.add(name)) {
          writeUncompressedLayer(tar, name, m.layers().get(i), diffIds.get(i));
        }
        layerNames.add(name);
      }
      ObjectNode entry = manifest.addObject();
      entry.put("Config", configName);
      ArrayNode tags = entry.putArray("RepoTags");
      for (Reference r : item.names()) {
        tags.add(r.familiar());
        if (r.tag().isPresent() && !diffIds.isEmpty()) {
          String repo =
              new Reference(r.registry(), r.repository(), Optional.empty(), Optional.empty())
                  .familiar();
          repositories
              .computeIfAbsent(repo, k -> new LinkedHashMap<>())
              .put(r.tag().get(), diffIds.get(diffIds.size() - 1).hex());
        }
      }
      entry.set("Layers", layerNames);
    }
    entry(tar, "manifest.json", ArchiveLoader.JSON.writeValueAsBytes(manifest));
    if (!repositories.isEmpty()) {
      entry(tar, "repositories", ArchiveLoader.JSON.writeValueAsBytes(repositories));
    }
  }

  private void writeUncompressedLayer(
      TarArchiveOutputStream tar, String name, Descriptor layer, Digest diffId) throws IOException {
    Compression compression = MediaTypes.compressionOf(layer.mediaType());
    if (compression == Compression.NONE) {
      if (!layer.digest().equals(diffId)) {
        throw new IOException(
            "uncompressed layer " + layer.digest() + " does not match its diff id " + diffId);
      }
      blobEntry(tar, name, layer.digest(), layer.size());
      return;
    }
    Path tmp = store.newTempFile(".layer.tar");
    try {
      Digest actual;
      try (InputStream in = decompress(store.open(layer.digest()), compression, layer.digest());
          OutputStream file = Files.newOutputStream(tmp)) {
        DigestingInputStream d = new DigestingInputStream(in, diffId.algorithm());
        d.transferTo(file);
        actual = d.digest();
      }
      if (!actual.equals(diffId)) {
        throw new IOException(
            "layer "
                + layer.digest()
                + " uncompresses to "
                + actual
                + ", not its diff id "
                + diffId
                + "; the image is corrupt");
      }
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setMode(MODE);
      e.setSize(Files.size(tmp));
      e.setModTime(0);
      tar.putArchiveEntry(e);
      Files.copy(tmp, tar);
      tar.closeArchiveEntry();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static InputStream decompress(InputStream in, Compression compression, Digest layer)
      throws IOException {
    DecompressionLimit limit = DecompressionLimit.fromEnvironment();
    return switch (compression) {
      case NONE -> in;
      case GZIP -> limit.decompress(in, c -> new GZIPInputStream(c, 1 << 16), "layer " + layer);
      case ZSTD ->
          limit.decompress(in, com.github.luben.zstd.ZstdInputStream::new, "layer " + layer);
    };
  }

  // ---- OCI archive ----

  private void writeOci(TarArchiveOutputStream tar, List<Item> items) throws IOException {
    entry(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    Set<Digest> written = new HashSet<>();
    List<Descriptor> entries = new ArrayList<>();
    for (Item item : items) {
      Descriptor target = item.image().target().withAnnotations(Map.of());
      writeClosure(tar, target, written);
      if (item.names().isEmpty()) {
        entries.add(target);
      }
      for (Reference r : item.names()) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ArchiveLoader.CONTAINERD_NAME, r.toString());
        annotations.put(Store.REF_NAME, r.tag().orElse(r.identifier()));
        entries.add(target.withAnnotations(annotations));
      }
    }
    entry(tar, "index.json", Index.of(entries).raw());
  }

  private void writeClosure(TarArchiveOutputStream tar, Descriptor d, Set<Digest> written)
      throws IOException {
    if (!written.add(d.digest())) {
      return;
    }
    if (MediaTypes.isIndex(d.mediaType())) {
      Index index = Index.parse(store.readJson(d.digest()), Optional.of(d.mediaType()));
      for (Descriptor m : index.manifests()) {
        if (Files.isRegularFile(store.blobPath(m.digest()))) {
          writeClosure(tar, m, written);
        }
      }
    } else if (MediaTypes.isManifest(d.mediaType())) {
      Manifest m = Manifest.parse(store.readJson(d.digest()), Optional.of(d.mediaType()));
      writeClosure(tar, m.config(), written);
      for (Descriptor layer : m.layers()) {
        if (MediaTypes.isForeignLayer(layer.mediaType())
            && !Files.isRegularFile(store.blobPath(layer.digest()))) {
          continue;
        }
        writeClosure(tar, layer, written);
      }
    }
    blobEntry(
        tar, "blobs/" + d.digest().algorithm() + "/" + d.digest().hex(), d.digest(), d.size());
  }

  // ---- tar entries ----

  private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(MODE);
    e.setSize(bytes.length);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /** Streams a stored blob into the tar; a blob that fails its digest aborts the save. */
  private void blobEntry(TarArchiveOutputStream tar, String name, Digest digest, long size)
      throws IOException {
    long actual = store.size(digest);
    if (actual != size) {
      throw new IOException(
          "blob "
              + digest
              + " is "
              + actual
              + " bytes in the store but "
              + size
              + " in its descriptor; run 'hoist fsck'");
    }
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(MODE);
    e.setSize(size);
    e.setModTime(0);
    tar.putArchiveEntry(e);
    try (InputStream in = store.open(digest)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }
}
