package dev.hoist.store.layer;

import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.DigestingInputStream;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a layer stream (gzip, zstd or plain, detected by magic bytes) onto a directory: files,
 * links, devices, owners, modes with special bits, xattrs, times, whiteouts and opaque dirs.
 *
 * <p>Hostile archives are refused, not sanitised: an absolute name, a {@code ..} component, or a
 * path that would climb out of the root through a symlink ends the apply with an IOException and
 * nothing is written outside the root. Applying is not atomic: unpack into a fresh directory and
 * discard it when this throws.
 */
public final class LayerApplier {
  private static final byte[] OPAQUE_VALUE = {'y'};

  private final ApplyOptions options;
  private final DecompressionLimit limit;

  /** Applies with the process's {@link DecompressionLimit#fromEnvironment() limits}. */
  public LayerApplier(ApplyOptions options) {
    this(options, DecompressionLimit.fromEnvironment());
  }

  /** Applies refusing a compressed layer that decompresses past {@code limit}. */
  public LayerApplier(ApplyOptions options, DecompressionLimit limit) {
    this.options = Objects.requireNonNull(options, "options");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /** Applies {@code layer} onto {@code root}, which must be an existing directory. */
  public AppliedLayer apply(InputStream layer, Path root) throws IOException {
    return apply(
        layer, root, new Run(new RootedPaths(root.toAbsolutePath().normalize(), options.label())));
  }

  /**
   * Extracts an archive into {@code root} as ADD does in Docker and Buildah, as if chrooted into
   * it: a symlink's {@code ..} stops at {@code root} (nothing lands outside it), and the parents an
   * entry needs that {@code root} lacks come from {@code image}, the destination as the image holds
   * it: its symlinks are followed, its directories repeated as they are.
   */
  public ExtractedArchive extract(InputStream archive, Path root, Underlay image)
      throws IOException {
    Run run =
        new Run(
            new RootedPaths(
                root.toAbsolutePath().normalize(), options.label(), Optional.of(image)));
    AppliedLayer applied = apply(archive, root, run);
    Set<Path> repeated = new HashSet<>();
    run.paths.repeatedDirectories().forEach(d -> repeated.add(d.getKey()));
    repeated.removeAll(run.namedDirectories);
    return new ExtractedArchive(applied, repeated);
  }

  private AppliedLayer apply(InputStream layer, Path root, Run run) throws IOException {
    Objects.requireNonNull(layer, "layer");
    Path absRoot = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(absRoot, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "cannot apply " + options.label() + " onto " + root + ": not a directory");
    }
    Decompression.Opened opened = Decompression.open(layer, limit, options.label());
    DigestingInputStream tar = new DigestingInputStream(opened.stream());
    TarReader reader = new TarReader(tar, options.label());
    long entries = 0;
    for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
      run.apply(e.get(), reader);
      entries++;
    }
    tar.transferTo(OutputStream.nullOutputStream()); // the diff id covers the trailing padding too
    run.finishDirectories();
    Digest diffId = tar.digest();
    if (options.expectedDiffId().isPresent() && !options.expectedDiffId().get().equals(diffId)) {
      throw new DigestMismatchException(
          options.label() + " (uncompressed)", options.expectedDiffId().get(), diffId, tar.count());
    }
    return new AppliedLayer(diffId, tar.count(), opened.compression(), entries, run.skippedDevices);
  }

  private record Resolved(List<String> components, Path path) {}

  /** The state of one apply: directories whose times are set last, paths this layer wrote. */
  private final class Run {
    private final RootedPaths paths;
    private final List<Map.Entry<Path, Instant>> directoryTimes = new ArrayList<>();
    private final Set<String> written = new HashSet<>();
    private final byte[] buffer = new byte[128 * 1024];
    private final boolean root = Posix.isRoot();
    private final Map<List<String>, Resolved> parents = new HashMap<>();
    private final Set<Path> namedDirectories = new HashSet<>();
    private long skippedDevices;

    Run(RootedPaths paths) {
      this.paths = paths;
    }

    void apply(TarEntry e, TarReader reader) throws IOException {
      List<String> parts = paths.split(e.name());
      try {
        if (parts.isEmpty()) {
          rootEntry(e);
          return;
        }
        Resolved parent = parent(parts, e.name());
        List<String> dir = parent.components();
        String last = parts.get(parts.size() - 1);
        if (last.startsWith(Whiteouts.PREFIX)) {
          whiteout(dir, last, e);
          return;
        }
        Path target = parent.path().resolve(last);
        markWritten(dir, last);
        create(e, target, reader);
      } catch (IOException ex) {
        if (ex.getMessage() != null && ex.getMessage().startsWith(options.label() + ":")) {
          throw ex; // already says which layer and entry
        }
        throw new IOException(
            options.label() + ": cannot apply entry \"" + e.name() + "\": " + describe(ex), ex);
      }
    }

    /**
     * The resolved parent directory of an entry. Archives list many entries per directory, so
     * resolutions are cached; any deletion may have replaced a directory, so it clears the cache.
     */
    private Resolved parent(List<String> parts, String entry) throws IOException {
      List<String> key = parts.subList(0, parts.size() - 1);
      Resolved cached = parents.get(key);
      if (cached != null) {
        return cached;
      }
      List<String> dir = paths.parentOf(parts, entry, true);
      Resolved resolved = new Resolved(List.copyOf(dir), paths.path(dir));
      parents.put(List.copyOf(key), resolved);
      return resolved;
    }

    private void delete(Path path) throws IOException {
      if (deleteRecursively(path)) {
        parents.clear();
      }
    }

    private void rootEntry(TarEntry e) throws IOException {
      if (e.type() != TarEntry.TYPE_DIRECTORY) {
        throw paths.escapes(e.name());
      }
      if (paths.extracting()) {
        return; // as Docker's ADD: "./" never changes the destination directory it lands in
      }
      metadata(e, paths.root(), false);
      directoryTimes.add(Map.entry(paths.root(), e.mtime()));
    }

    private void whiteout(List<String> dir, String last, TarEntry e) throws IOException {
      Path parent = paths.path(dir);
      if (last.equals(Whiteouts.OPAQUE)) {
        String prefix = dir.isEmpty() ? "" : String.join("/", dir) + "/";
        try (var children = Files.newDirectoryStream(parent)) {
          for (Path child : children) {
            if (!written.contains(prefix + child.getFileName())) {
              delete(child);
            }
          }
        }
        if (options.target() == ApplyOptions.Target.OVERLAY_LOWER) {
          Posix.lsetxattr(parent, Whiteouts.OVERLAY_OPAQUE_XATTR, OPAQUE_VALUE);
        }
        return;
      }
      if (last.startsWith(Whiteouts.META_PREFIX)) {
        return; // aufs bookkeeping (.wh..wh.plnk and friends), never part of the tree
      }
      String hidden = last.substring(Whiteouts.PREFIX.length());
      if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
        throw paths.escapes(e.name());
      }
      Path victim = parent.resolve(hidden);
      delete(victim);
      if (options.target() == ApplyOptions.Target.OVERLAY_LOWER) {
        Posix.mknod(victim, FileStat.S_IFCHR, 0, 0, 0);
        markWritten(dir, hidden);
      }
    }

    private void create(TarEntry e, Path target, TarReader reader) throws IOException {
      Optional<FileStat> existing = RootedPaths.lstat(target);
      boolean keepDirectory =
          existing.isPresent()
              && existing.get().isDirectory()
              && e.type() == TarEntry.TYPE_DIRECTORY;
      if (existing.isPresent() && !keepDirectory) {
        delete(target); // never write through what was there, a symlink least of all
      }
      switch (e.type()) {
        case TarEntry.TYPE_DIRECTORY -> {
          if (!keepDirectory) {
            Files.createDirectory(target);
          }
          namedDirectories.add(target);
          metadata(e, target, false);
          directoryTimes.add(Map.entry(target, e.mtime()));
          return;
        }
        case TarEntry.TYPE_REGULAR -> {
          try (InputStream in = reader.content();
              OutputStream out =
                  Files.newOutputStream(
                      target,
                      StandardOpenOption.CREATE_NEW,
                      StandardOpenOption.WRITE,
                      LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
              out.write(buffer, 0, n);
            }
          }
        }
        case TarEntry.TYPE_SYMLINK -> Posix.symlink(e.linkName(), target);
        case TarEntry.TYPE_HARDLINK -> {
          hardlink(e, target);
          return; // the link shares the target's inode, whose metadata is already set
        }
        case TarEntry.TYPE_CHAR, TarEntry.TYPE_BLOCK, TarEntry.TYPE_FIFO -> {
          int type =
              e.type() == TarEntry.TYPE_CHAR
                  ? FileStat.S_IFCHR
                  : e.type() == TarEntry.TYPE_BLOCK ? FileStat.S_IFBLK : FileStat.S_IFIFO;
          if (type != FileStat.S_IFIFO && !root) {
            skippedDevices++; // unprivileged, as rootless Docker does: devices come from the
            // runtime
            return;
          }
          Posix.mknod(target, type, 0600, e.devMajor(), e.devMinor());
        }
        default -> throw new IllegalStateException("unexpected entry type " + e.type());
      }
      metadata(e, target, e.type() == TarEntry.TYPE_SYMLINK);
    }

    private void hardlink(TarEntry e, Path target) throws IOException {
      List<String> parts = paths.split(e.linkName());
      if (parts.isEmpty()) {
        throw paths.escapes(e.linkName());
      }
      List<String> dir = paths.parentOf(parts, e.name(), false);
      Path source = paths.path(dir).resolve(parts.get(parts.size() - 1));
      Optional<FileStat> stat = RootedPaths.lstat(source);
      if (stat.isEmpty() || stat.get().isDirectory()) {
        throw new IOException(
            options.label()
                + ": hardlink \""
                + e.name()
                + "\" points at \""
                + e.linkName()
                + "\", which is "
                + (stat.isEmpty() ? "not in the tree" : "a directory")
                + "; refusing");
      }
      Files.createLink(target, source); // link(2) does not follow a symlink source
    }

    private void metadata(TarEntry e, Path target, boolean symlink) throws IOException {
      if (options.preserveOwnership()) {
        Posix.lchown(target, (int) e.uid(), (int) e.gid());
      }
      if (!symlink) {
        Posix.chmod(target, e.mode()); // after chown, which clears setuid/setgid
      }
      for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
        if (x.getKey().startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)) {
          continue; // a layer must not forge overlayfs metadata (opaque, redirect) of a snapshot
        }
        Posix.lsetxattr(target, x.getKey(), x.getValue()); // after chown, which drops capabilities
      }
      if (e.type() != TarEntry.TYPE_DIRECTORY) {
        Posix.lutimes(target, e.mtime(), e.mtime());
      }
    }

    /** Directory times last: creating their children changed them. */
    void finishDirectories() throws IOException {
      // Parents repeated from the image come first, so they are set last; an archive's own entry
      // for one of them gives it the archive's time instead.
      Map<Path, Instant> times = new java.util.LinkedHashMap<>();
      paths.repeatedDirectories().forEach(d -> times.put(d.getKey(), d.getValue()));
      directoryTimes.forEach(d -> times.put(d.getKey(), d.getValue()));
      List<Map.Entry<Path, Instant>> all = new ArrayList<>(times.entrySet());
      for (int i = all.size() - 1; i >= 0; i--) {
        Map.Entry<Path, Instant> d = all.get(i);
        if (RootedPaths.lstat(d.getKey()).isPresent()) { // a later entry may have replaced it
          Posix.lutimes(d.getKey(), d.getValue(), d.getValue());
        }
      }
    }

    /** Records a path and its ancestors as this layer's, so an opaque marker keeps them. */
    private void markWritten(List<String> dir, String last) {
      StringBuilder sb = new StringBuilder();
      for (String c : dir) {
        sb.append(c);
        written.add(sb.toString());
        sb.append('/');
      }
      written.add(sb.append(last).toString());
    }
  }

  /** The JDK's file exceptions name the path but not always the problem; say both. */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() == null) {
      return e.getClass().getSimpleName() + " " + fs.getFile();
    }
    return String.valueOf(e.getMessage());
  }

  /**
   * Deletes a file or tree without following any symlink; absent is fine.
   *
   * @return whether there was something to delete
   */
  static boolean deleteRecursively(Path path) throws IOException {
    if (RootedPaths.lstat(path).isEmpty()) {
      return false;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
    return true;
  }
}
