package dev.hoist.store;

import dev.hoist.image.BlobOrigins;
import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobSource;
import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.Reference;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content-addressed store on disk: an OCI image layout ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}) plus hoist's own state under {@code .hoist/}.
 *
 * <p>Every blob's file name is the digest of its bytes: a blob is streamed into {@code .hoist/tmp},
 * checked against its digest and size, fsynced, and renamed into place (then its directory
 * fsynced). {@code index.json} changes under the store lock and is replaced atomically. A crash at
 * any instant therefore leaves at worst a temp file, which {@link #open} reclaims once it is old
 * enough not to belong to a live writer, and which {@link #fsck} ignores.
 *
 * <p>Names live in {@code index.json}: one descriptor per tag, annotated with {@value
 * #REF_NAME}{@code =}{@link Reference#toString()} (so {@code skopeo inspect
 * oci:ROOT:docker.io/library/busybox:latest} reads it); an image kept without a name (a build
 * without {@code -t}) is an entry without that annotation. Manifests keep the media type they came
 * with, so their digests stay the registry's; skopeo 1.9's {@code oci:} transport only looks at
 * entries of OCI media types, so it does not see images stored with Docker schema 2 manifests.
 *
 * <p>A store that writes blobs holds a {@link Lease} from its first write until {@link #close}: a
 * concurrent {@link #prune} keeps every blob written or touched since the lease began.
 */
public final class Store implements BlobSource, BlobSink, BlobOrigins, Closeable {
  /** The OCI annotation that names an image in an OCI layout's {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  /** Temp files untouched this long belong to no live writer and are deleted on open. */
  static final Duration TEMP_RECLAIM_AGE = Duration.ofHours(1);

  /** The largest manifest, index or config read into memory (Docker's own limit is 4 MiB). */
  public static final long MAX_JSON_BYTES = 32L << 20;

  private final Path root;
  private final Path blobs;
  private final Path tmp;
  private final StoreLock lock;
  private final Leases leases;
  private final ImageNames names;
  private final OriginFiles origins;

  private Store(Path root) throws IOException {
    this.root = root;
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve(".hoist/tmp");
    this.lock = new StoreLock(root.resolve(".hoist/lock"));
    this.leases = new Leases(root.resolve(".hoist/leases"));
    this.names = new ImageNames(this);
    this.origins = new OriginFiles(root.resolve(".hoist/origins"), this);
  }

  /**
   * Opens the store at {@code root}, creating the layout if it is missing, and reclaims temp files
   * that no live writer can own any more.
   */
  public static Store open(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    Path abs = root.toAbsolutePath().normalize();
    Files.createDirectories(abs.resolve(".hoist/tmp"));
    for (String dir :
        List.of(
            "blobs/sha256", ".hoist/snapshots", ".hoist/cache", ".hoist/work", ".hoist/leases")) {
      Files.createDirectories(abs.resolve(dir));
    }
    Path lockFile = abs.resolve(".hoist/lock");
    if (!Files.exists(lockFile)) {
      try {
        Files.createFile(lockFile);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process created it first
      }
    }
    Store store = new Store(abs);
    store.initLayout();
    store.reclaimTemp();
    return store;
  }

  private void initLayout() throws IOException {
    Path layout = root.resolve("oci-layout");
    Path index = root.resolve("index.json");
    if (Files.exists(layout) && Files.exists(index)) {
      return;
    }
    try (StoreLock.Held held = lock.acquire()) {
      if (!Files.exists(layout)) {
        AtomicFiles.write(
            tmp, layout, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      }
      if (!Files.exists(index)) {
        AtomicFiles.write(tmp, index, ImageNames.emptyIndex());
      }
    }
  }

  private void reclaimTemp() throws IOException {
    Instant cutoff = Instant.now().minus(TEMP_RECLAIM_AGE);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
      for (Path p : entries) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            FileTrees.deleteRecursively(p);
          }
        } catch (NoSuchFileException e) {
          // its writer finished meanwhile
        }
      }
    }
  }

  public Path root() {
    return root;
  }

  /** Where temp files go; same filesystem as the blobs, so a rename into place is atomic. */
  public Path tempDir() {
    return tmp;
  }

  /** Unpacked layers used as overlay lower dirs; managed by the layer package. */
  public Path snapshotsDir() {
    return root.resolve(".hoist/snapshots");
  }

  /** The build cache index. */
  public Path cacheDir() {
    return root.resolve(".hoist/cache");
  }

  /** Runtime work dirs (overlay upper/work). */
  public Path workDir() {
    return root.resolve(".hoist/work");
  }

  /**
   * A new empty file in {@link #tempDir()}, e.g. for a layer writer to fill and then {@link
   * #putTempFile}.
   */
  public Path newTempFile(String suffix) throws IOException {
    return AtomicFiles.newTempFile(tmp, suffix);
  }

  /** The path of a blob (which may not exist). */
  public Path blobPath(Digest digest) {
    return blobs.resolve(digest.algorithm()).resolve(digest.hex());
  }

  /**
   * Whether the blob is stored. A hit also refreshes the blob's modification time and starts this
   * store's lease, because a caller that learns a blob exists will build on it (a pull skips it, a
   * build reuses it): a concurrent prune must not take it away before the caller tags its result.
   */
  @Override
  public boolean contains(Digest digest) throws IOException {
    Path p = blobPath(digest);
    return Files.isRegularFile(p) && touchUnderLease(p);
  }

  /**
   * Starts this store's lease, then dates {@code path} now, so that a prune keeps it while the
   * lease lives; false when it is gone.
   */
  private boolean touchUnderLease(Path path) throws IOException {
    leases.ensure();
    try {
      Files.setLastModifiedTime(path, FileTime.from(Instant.now()));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * A store may hold a manifest of {@code ref} when an image of the same repository is named here
   * (another tag, or the same one pulled before), or an image without a name. In a store without
   * either, a pull skips the HEAD request that looks for a stored copy of the manifest.
   */
  @Override
  public boolean mayHoldManifestOf(Reference ref) throws IOException {
    return names.mayHoldRepository(ref);
  }

  @Override
  public long size(Digest digest) throws IOException {
    return Files.size(blobPath(digest));
  }

  /**
   * Opens a blob; reading it to the end verifies it against its digest and throws {@link
   * CorruptBlobException} when it does not match.
   */
  @Override
  public InputStream open(Digest digest) throws IOException {
    InputStream in = Files.newInputStream(blobPath(digest));
    return new VerifyingInputStream(in, digest, root.toString());
  }

  /** The whole blob, verified; for manifests, indexes and configs, at most {@code maxBytes}. */
  public byte[] readBlob(Digest digest, long maxBytes) throws IOException {
    long size = size(digest);
    if (size > maxBytes) {
      throw new IOException(
          "blob "
              + digest
              + " in "
              + root
              + " is "
              + size
              + " bytes, more than the "
              + maxBytes
              + " allowed for a manifest or config; it is not one, or the store is damaged");
    }
    byte[] bytes = Files.readAllBytes(blobPath(digest));
    Digest actual = Digest.of(digest.algorithm(), digest.newMessageDigest().digest(bytes));
    if (!actual.equals(digest)) {
      throw new CorruptBlobException(root.toString(), digest, actual);
    }
    return bytes;
  }

  /** A manifest, index or config blob, verified, at most {@link #MAX_JSON_BYTES}. */
  public byte[] readJson(Digest digest) throws IOException {
    return readBlob(digest, MAX_JSON_BYTES);
  }

  @Override
  public BlobWriter writer(Digest expected, long expectedSize) throws IOException {
    Objects.requireNonNull(expected, "expected");
    leases.ensure();
    return new StoreBlobWriter(this, expected, expectedSize, newTempFile(".blob"));
  }

  /** Stores small bytes (a manifest, a config) and describes them. */
  public Descriptor putBytes(String mediaType, byte[] bytes) throws IOException {
    Descriptor d = Descriptor.of(mediaType, bytes);
    if (contains(d.digest())) {
      return d; // the same bytes; contains() refreshed it for a concurrent prune
    }
    try (BlobWriter w = writer(d.digest(), d.size())) {
      w.stream().write(bytes);
      return w.commit(mediaType);
    }
  }

  /** Starts a blob whose digest will be learned from its bytes; see {@link TempBlob}. */
  public TempBlob newTempBlob() throws IOException {
    leases.ensure();
    return new TempBlob(this, newTempFile(".blob"));
  }

  /** Streams {@code in} into a blob whose digest is learned from the bytes. */
  public Descriptor put(String mediaType, InputStream in) throws IOException {
    try (TempBlob blob = newTempBlob()) {
      in.transferTo(blob.stream());
      return blob.commit(mediaType);
    }
  }

  /**
   * Moves a file already written in {@link #tempDir()} (e.g. by the layer writer, which knows the
   * digest it computed while writing) into the store after re-reading it to check {@code expected}:
   * the file is fsynced and renamed, never copied.
   *
   * @throws DigestMismatchException when the file is not {@code expected}; the file is deleted
   */
  public Descriptor putTempFile(Path file, String mediaType, Digest expected) throws IOException {
    Objects.requireNonNull(expected, "expected");
    Path abs = file.toAbsolutePath().normalize();
    if (!abs.getParent().equals(tmp)) {
      throw new IllegalArgumentException(
          file
              + " is not in the store's temp dir "
              + tmp
              + "; write it there so it can be renamed");
    }
    leases.ensure();
    try {
      FileDigests.Result r = FileDigests.of(abs, expected.algorithm());
      Digest actual = r.digest();
      long size = r.size();
      if (!actual.equals(expected)) {
        throw new DigestMismatchException("temp file " + abs, expected, actual, size);
      }
      AtomicFiles.fsync(abs);
      moveIntoPlace(abs, expected);
      return Descriptor.of(mediaType, expected, size);
    } finally {
      Files.deleteIfExists(abs);
    }
  }

  /** Renames a verified, fsynced temp file to its digest name and makes that durable. */
  void moveIntoPlace(Path verifiedTemp, Digest digest) throws IOException {
    Path target = blobPath(digest);
    Files.createDirectories(target.getParent());
    // Renaming over an existing blob is harmless (same bytes) and heals a corrupt one.
    AtomicFiles.move(verifiedTemp, target);
  }

  /** Deletes a blob; true when it existed. Callers outside prune must know nothing refers to it. */
  public boolean delete(Digest digest) throws IOException {
    boolean existed = Files.deleteIfExists(blobPath(digest));
    if (existed) {
      AtomicFiles.fsyncDir(blobPath(digest).getParent());
      origins.forget(digest);
    }
    return existed;
  }

  // ---- origins ----

  /**
   * Records that the stored blob {@code digest} is in a registry repository, under {@code
   * .hoist/origins/} (see {@link OriginFiles}); a push to another repository of that registry then
   * mounts it instead of uploading it.
   */
  @Override
  public void addOrigin(Digest digest, Origin origin) throws IOException {
    origins.add(Objects.requireNonNull(digest, "digest"), Objects.requireNonNull(origin, "origin"));
  }

  /** Where {@code digest} was pulled from or pushed to, newest first (at most five). */
  @Override
  public List<Origin> origins(Digest digest) throws IOException {
    return origins.of(Objects.requireNonNull(digest, "digest"));
  }

  OriginFiles originFiles() {
    return origins;
  }

  /**
   * Every blob file name under {@code blobs/}, as a digest; names that are not digests are skipped.
   */
  public List<Digest> blobs() throws IOException {
    List<Digest> out = new ArrayList<>();
    try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
      for (Path alg : algs) {
        if (!Files.isDirectory(alg)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
          for (Path f : files) {
            try {
              out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
            } catch (IllegalArgumentException e) {
              // not a blob (fsck reports it)
            }
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  // ---- names ----

  /**
   * Names the image or index {@code target} (already stored) as {@code ref}, replacing what the
   * name meant before. Checks under the lock that every blob the image needs is stored, so a
   * concurrent prune can never leave a name pointing at missing blobs.
   */
  public void tag(Reference ref, Descriptor target) throws IOException {
    names.tag(Objects.requireNonNull(ref, "ref"), Objects.requireNonNull(target, "target"));
  }

  /**
   * Keeps {@code target} without a name (a build without {@code -t}), unless it has one already.
   */
  public void keep(Descriptor target) throws IOException {
    names.keep(Objects.requireNonNull(target, "target"));
  }

  /**
   * Finds an image by name ({@code busybox}, {@code docker.io/library/busybox:latest}), by digest
   * of its manifest or config ({@code sha256:…}), or by a prefix of its image id as {@code docker
   * images} shows it. Manifest and config are read and verified against their digests.
   *
   * @throws NoSuchImageException when nothing matches, or a prefix matches several images
   */
  public StoredImage resolve(String refOrId) throws IOException {
    return names.resolve(Objects.requireNonNull(refOrId, "refOrId"));
  }

  /** Finds a named image; see {@link #resolve(String)}. */
  public Optional<StoredImage> find(Reference ref) throws IOException {
    return names.find(Objects.requireNonNull(ref, "ref"));
  }

  /** Every entry of {@code index.json} (one per name, plus unnamed images), with its summary. */
  public List<ImageSummary> images() throws IOException {
    return names.images();
  }

  /** Removes the name {@code ref}; true when it existed. The blobs stay until {@link #prune}. */
  public boolean untag(Reference ref) throws IOException {
    return names.untag(Objects.requireNonNull(ref, "ref"));
  }

  /**
   * {@code rmi}: removes what {@code refOrId} names. A name is untagged; an id or digest removes
   * every entry of that image, which must then be forced when the image has several names.
   *
   * @return the names removed (empty for an unnamed image)
   */
  public List<String> remove(String refOrId, boolean force) throws IOException {
    return names.remove(Objects.requireNonNull(refOrId, "refOrId"), force);
  }

  /** The raw {@code index.json} entries. */
  public List<Descriptor> indexEntries() throws IOException {
    return names.entries();
  }

  // ---- maintenance ----

  /**
   * Removes unreferenced blobs (and, through hooks, snapshots and cache); see {@link
   * GarbageCollector}.
   */
  public PruneResult prune(PruneOptions options) throws IOException {
    return new GarbageCollector(this).prune(options);
  }

  /** Checks every blob and every reference; see {@link Fsck}. */
  public FsckReport fsck() throws IOException {
    return new Fsck(this).run();
  }

  /**
   * Marks derived state under the store (an unpacked snapshot) as used now by this store's work:
   * starts this store's lease, then, under the store lock, sets the modification time of {@code
   * path} to now. A prune removes derived state under the same lock, and only what is older than
   * every live lease, so it either removed {@code path} before this call (which then returns false)
   * or keeps it while this store's lease lives.
   */
  public boolean markInUse(Path path) throws IOException {
    try (StoreLock.Held held = lock.acquire()) {
      return touchUnderLease(path);
    }
  }

  /**
   * Takes derived state away under the store lock by renaming it into {@code .hoist/trash}, a
   * moment's work, so that builds waiting for the lock need not wait for the deletion; {@link
   * #prune} empties the trash after it lets go of the lock.
   */
  public void discard(Path path) throws IOException {
    Path trash = Files.createDirectories(trashDir());
    Files.move(path, trash.resolve(UniqueNames.next()), StandardCopyOption.ATOMIC_MOVE);
  }

  Path trashDir() {
    return root.resolve(".hoist/trash");
  }

  /**
   * Starts an explicit lease for work that will reuse stored blobs before it writes any (a build
   * whose first steps are all cached); closing it ends the lease.
   */
  public Lease lease() throws IOException {
    return leases.acquire();
  }

  StoreLock lock() {
    return lock;
  }

  Leases leases() {
    return leases;
  }

  ImageNames names() {
    return names;
  }

  /** Ends this store's lease, if it took one. */
  @Override
  public void close() throws IOException {
    leases.close();
  }

  @Override
  public String toString() {
    return "Store[" + root + "]";
  }
}
