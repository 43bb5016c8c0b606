package dev.hoist.builder.cli;

import dev.hoist.image.BlobSource;
import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image layout directory ({@code oci:DIR[:TAG]} in {@code hoist copy}): reads the image a
 * tag names into the store, and writes a stored image into the directory with its {@code
 * index.json} entry. Every blob is checked against its digest; files are written atomically.
 */
final class OciLayoutDir implements BlobSource {
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final Path dir;

  OciLayoutDir(Path dir) {
    this.dir = dir;
  }

  private Path blob(Digest d) {
    return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
  }

  @Override
  public boolean contains(Digest digest) {
    return Files.isRegularFile(blob(digest));
  }

  @Override
  public long size(Digest digest) throws IOException {
    return Files.size(blob(digest));
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    return Files.newInputStream(blob(digest));
  }

  /** The descriptor {@code tag} names in {@code index.json}; the only one when no tag is given. */
  Descriptor find(Optional<String> tag) throws IOException {
    Path indexFile = dir.resolve("index.json");
    if (!Files.exists(indexFile)) {
      throw new NoSuchFileException(
          indexFile.toString(), null, "not an OCI layout (no index.json)");
    }
    Index index = Index.parse(Files.readAllBytes(indexFile));
    List<Descriptor> all = index.manifests();
    if (tag.isEmpty()) {
      if (all.size() != 1) {
        throw new IllegalArgumentException(
            "oci:" + dir + " holds " + all.size() + " images; name one as oci:" + dir + ":TAG");
      }
      return all.get(0);
    }
    return all.stream()
        .filter(d -> d.annotation(REF_NAME).equals(tag))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "oci:" + dir + " has no image tagged '" + tag.get() + "'"));
  }

  /**
   * Every blob {@code root} needs that {@code source} has: manifests first, layers last. Write them
   * in {@link #writeOrder}.
   */
  static List<Descriptor> closure(BlobSource source, Descriptor root) throws IOException {
    Map<Digest, Descriptor> out = new LinkedHashMap<>();
    out.put(root.digest(), root);
    List<Descriptor> manifests = new ArrayList<>();
    if (MediaTypes.isIndex(root.mediaType())) {
      Index idx = Index.parse(read(source, root), Optional.of(root.mediaType()));
      for (Descriptor child : idx.manifests()) {
        if (source.contains(child.digest())) {
          out.put(child.digest(), child);
          manifests.add(child);
        }
      }
    } else {
      manifests.add(root);
    }
    for (Descriptor md : manifests) {
      Manifest m = Manifest.parse(read(source, md), Optional.of(md.mediaType()));
      out.putIfAbsent(m.config().digest(), m.config());
      for (Descriptor l : m.layers()) {
        if (!MediaTypes.isForeignLayer(l.mediaType())) {
          out.putIfAbsent(l.digest(), l);
        }
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * {@code closure} reversed: layers and configs before the manifest naming them, the index last,
   * so a copy that fails half-way leaves no manifest whose blobs are missing.
   */
  static List<Descriptor> writeOrder(BlobSource source, Descriptor root) throws IOException {
    List<Descriptor> order = new ArrayList<>(closure(source, root));
    Collections.reverse(order);
    return order;
  }

  /** The bytes of manifest or index {@code d}, checked against its digest. */
  static byte[] read(BlobSource source, Descriptor d) throws IOException {
    byte[] raw;
    try (InputStream in = source.open(d.digest())) {
      raw = in.readNBytes((int) Math.min(d.size() + 1, Store.MAX_JSON_BYTES));
    }
    Digest actual = Digest.sha256(raw);
    if (!actual.equals(d.digest())) {
      throw new dev.hoist.image.DigestMismatchException(
          "manifest " + d.digest(), d.digest(), actual, raw.length);
    }
    return raw;
  }

  /** Copies the image {@code root} from this layout into {@code store} (verified on commit). */
  void copyInto(Store store, Descriptor root) throws IOException {
    for (Descriptor d : writeOrder(this, root)) {
      if (store.contains(d.digest())) {
        continue;
      }
      try (InputStream in = open(d.digest());
          BlobWriter w = store.writer(d.digest(), d.size())) {
        in.transferTo(w.stream());
        w.commit(d.mediaType());
      }
    }
  }

  /** Writes the image {@code root} from {@code source} here, named {@code tag} when given. */
  void write(BlobSource source, Descriptor root, Optional<String> tag) throws IOException {
    Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    atomicWrite(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    for (Descriptor d : writeOrder(source, root)) {
      Path target = blob(d.digest());
      if (Files.exists(target)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(dir, ".blob", ".tmp");
      try {
        try (InputStream in = source.open(d.digest());
            dev.hoist.image.DigestingInputStream din =
                new dev.hoist.image.DigestingInputStream(in);
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
            OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
          din.transferTo(out);
          ch.force(true);
          Digest actual = din.digest();
          if (!actual.equals(d.digest())) {
            throw new dev.hoist.image.DigestMismatchException(
                "blob in the store", d.digest(), actual, din.count());
          }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    List<Descriptor> entries = new ArrayList<>();
    Path indexFile = dir.resolve("index.json");
    if (Files.exists(indexFile)) {
      for (Descriptor d : Index.parse(Files.readAllBytes(indexFile)).manifests()) {
        if (tag.isEmpty() || !d.annotation(REF_NAME).equals(tag)) {
          entries.add(d);
        }
      }
    }
    Descriptor entry = Descriptor.of(root.mediaType(), root.digest(), root.size());
    entries.add(tag.map(t -> entry.withAnnotations(Map.of(REF_NAME, t))).orElse(entry));
    atomicWrite(indexFile, Index.of(Optional.empty(), entries, Map.of()).raw());
  }

  private void atomicWrite(Path file, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(dir, ".write", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
