package dev.hoist.builder.copy;

import dev.hoist.image.Digest;
import dev.hoist.image.DigestingInputStream;
import dev.hoist.store.layer.ApplyOptions;
import dev.hoist.store.layer.ExtractedArchive;
import dev.hoist.store.layer.LayerApplier;
import dev.hoist.store.layer.Underlay;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a COPY's result under the staging directory: real files, links and directories with the
 * owners, modes, times and xattrs the layer must carry. Nothing is read outside the source tree and
 * nothing written outside {@code staging}: targets come from the planner as clean relative paths
 * and every parent is a directory this class made.
 */
final class Stager implements CopySink {
  private static final int BUFFER = 128 * 1024;

  private final CopySpec spec;
  private final Path staging;
  private final DestinationView dest;
  private final Attributes attrs;
  private final Fetcher fetcher;
  private final Instant now = Instant.now();
  private final Map<Path, Instant> directoryTimes = new LinkedHashMap<>();
  private final Map<List<Long>, Path> hardlinks = new HashMap<>();
  private final byte[] buffer = new byte[BUFFER];
  private long files;
  private long bytes;

  Stager(CopySpec spec, Path staging, DestinationView dest, Attributes attrs, Fetcher fetcher) {
    this.spec = spec;
    this.staging = staging;
    this.dest = dest;
    this.attrs = attrs;
    this.fetcher = fetcher;
  }

  @Override
  public void ensureDir(String target) throws IOException {
    if (target.isEmpty()) {
      return; // the root: a layer does not carry "/"
    }
    String prefix = "";
    for (String part : target.split("/")) {
      prefix = DestPaths.join(prefix, part);
      Path p = staging.resolve(prefix);
      Optional<FileStat> staged = lstat(p);
      if (staged.isPresent()) {
        if (!staged.get().isDirectory()) {
          throw CopyException.of(
              spec, "cannot create directory " + quote(prefix) + ": a file was copied there");
        }
        continue;
      }
      Optional<FileStat> existing = dest.stat(prefix);
      if (existing.isPresent() && !existing.get().isDirectory()) {
        throw CopyException.of(
            spec,
            "cannot copy into "
                + quote(prefix)
                + ": it is not a directory in the destination image");
      }
      Files.createDirectory(p);
      files++;
      if (existing.isPresent()) {
        // The layer repeats an existing parent as it is, so applying it changes nothing there.
        FileStat s = existing.get();
        Posix.lchown(p, s.uid(), s.gid());
        Posix.chmod(p, s.permissions());
        directoryTimes.put(p, s.mtime());
      } else {
        Posix.lchown(p, attrs.createdUid(), attrs.createdGid());
        Posix.chmod(p, 0755);
        directoryTimes.put(p, now);
      }
    }
  }

  @Override
  public void directory(String target, SourceNode source) throws IOException {
    Path p = staging.resolve(target);
    Optional<FileStat> staged = lstat(p);
    if (staged.isPresent() && !staged.get().isDirectory()) {
      Files.delete(p);
      staged = Optional.empty();
    }
    if (staged.isEmpty()) {
      Files.createDirectory(p);
      files++;
    }
    metadata(source, p);
  }

  @Override
  public void file(String target, SourceNode source) throws IOException {
    Path p = prepareFile(target);
    FileStat stat = source.stat();
    switch (stat.type()) {
      case FileStat.S_IFREG -> {
        if (stat.nlink() > 1) {
          List<Long> key = List.of(stat.dev(), stat.ino());
          Path first = hardlinks.get(key);
          if (first != null) {
            Files.createLink(p, first); // the inode already has its metadata
            files++;
            return;
          }
          hardlinks.put(key, p);
        }
        bytes += copyFile(source.real(), p);
      }
      case FileStat.S_IFLNK -> Posix.symlink(Files.readSymbolicLink(source.real()).toString(), p);
      case FileStat.S_IFCHR, FileStat.S_IFBLK, FileStat.S_IFIFO -> {
        if (stat.isCharDevice() && stat.rdev() == 0) {
          return; // a whiteout is not a file; the merged view never hands one out
        }
        Posix.mknod(p, stat.type(), 0600, stat.rdevMajor(), stat.rdevMinor());
      }
      default -> {
        return; // sockets live only while their server runs; Docker skips them too
      }
    }
    files++;
    metadata(source, p);
  }

  @Override
  public void extract(String targetDir, SourceNode archive) throws IOException {
    extract(targetDir, archive.real(), "archive " + CopyPlanner.quote(archive.path()));
  }

  private void extract(String targetDir, Path archive, String what) throws IOException {
    Path dir = staging.resolve(targetDir);
    ApplyOptions options =
        new ApplyOptions(ApplyOptions.Target.TREE, Posix.isRoot(), what, Optional.empty());
    try (InputStream in = Archives.openDecompressed(archive)) {
      Underlay image = relative -> dest.real(DestPaths.join(targetDir, relative));
      ExtractedArchive extracted = new LayerApplier(options).extract(in, dir, image);
      files += extracted.applied().entries();
      bytes += extracted.applied().uncompressedSize();
      if (attrs.chown().isPresent()) {
        chownBelow(dir, extracted.repeatedDirectories());
      }
    } catch (CopyException e) {
      throw e;
    } catch (IOException e) {
      throw CopyException.of(spec, "cannot extract: " + e.getMessage(), e);
    }
  }

  /**
   * --chown overrides the owners an archive names, as BuildKit does since 0.13. Everything below
   * the destination was copied by this ADD (owned by the same user anyway) or extracted from it,
   * but for the image's own directories the archive's entries went through, which stay as they are.
   */
  private void chownBelow(Path dir, Set<Path> imageDirectories) throws IOException {
    int uid = attrs.createdUid();
    int gid = attrs.createdGid();
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.skip(1)::iterator) {
        if (imageDirectories.contains(p.toAbsolutePath().normalize())) {
          continue;
        }
        FileStat stat = Posix.lstat(p);
        Posix.lchown(p, uid, gid);
        if (!stat.isSymlink() && (stat.permissions() & 06000) != 0) {
          Posix.chmod(p, stat.permissions()); // chown cleared setuid and setgid
        }
      }
    }
  }

  @Override
  public void inline(String target, byte[] content) throws IOException {
    Path p = prepareFile(target);
    Files.write(p, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    bytes += content.length;
    files++;
    Posix.lchown(p, attrs.createdUid(), attrs.createdGid());
    Posix.chmod(p, attrs.newFileMode(0644));
    Posix.lutimes(p, now, now);
  }

  @Override
  public void download(String target, URI url, Optional<String> extractInto) throws IOException {
    Path p = prepareFile(target);
    Optional<Digest> expected = Checksums.expected(spec);
    String algorithm = expected.map(Digest::algorithm).orElse(Digest.SHA256);
    Fetcher.Response response;
    try {
      response = fetcher.open(url);
    } catch (IOException e) {
      throw CopyException.of(spec, e.getMessage(), e);
    }
    Digest actual;
    try (DigestingInputStream in = new DigestingInputStream(response.body(), algorithm)) {
      bytes += write(in, p);
      actual = in.digest();
    }
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw Checksums.mismatch(spec, url, expected.get(), actual);
    }
    if (extractInto.isPresent() && Archives.isArchive(p)) {
      Path archive = Files.createTempFile(staging.getParent(), ".add-", ".download");
      try {
        Files.move(p, archive, StandardCopyOption.REPLACE_EXISTING);
        bytes -= Files.size(archive); // counted again as the extracted entries
        ensureDir(extractInto.get());
        extract(extractInto.get(), archive, "archive from " + url);
      } finally {
        Files.deleteIfExists(archive);
      }
      return;
    }
    files++;
    Posix.lchown(p, attrs.createdUid(), attrs.createdGid());
    Posix.chmod(p, attrs.newFileMode(0600));
    Instant mtime = response.lastModified().orElse(now);
    Posix.lutimes(p, mtime, mtime);
  }

  /** Sets the times of every directory, now that nothing more is written into them. */
  CopyResult finish() throws IOException {
    List<Map.Entry<Path, Instant>> dirs = new ArrayList<>(directoryTimes.entrySet());
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Posix.lutimes(dirs.get(i).getKey(), dirs.get(i).getValue(), dirs.get(i).getValue());
    }
    return new CopyResult(files, bytes);
  }

  /** The staging path for a non-directory, with whatever file was staged there removed. */
  private Path prepareFile(String target) throws IOException {
    Path p = staging.resolve(target);
    Optional<FileStat> staged = lstat(p);
    if (staged.isPresent()) {
      if (staged.get().isDirectory()) {
        throw CopyException.of(spec, "cannot replace directory " + quote(target) + " with a file");
      }
      Files.delete(p); // a later source wins, as with cp
    }
    return p;
  }

  private void metadata(SourceNode source, Path p) throws IOException {
    FileStat stat = source.stat();
    Posix.lchown(p, attrs.uid(source), attrs.gid(source));
    if (!stat.isSymlink()) {
      Posix.chmod(p, attrs.mode(source)); // after chown, which clears setuid and setgid
    }
    for (String name : Posix.llistxattr(source.real())) {
      if (name.startsWith("trusted.overlay.") || name.equals("security.selinux")) {
        continue; // overlay bookkeeping and host labels are not the file's content
      }
      Optional<byte[]> value = Posix.lgetxattr(source.real(), name);
      if (value.isPresent()) {
        Posix.lsetxattr(p, name, value.get());
      }
    }
    if (stat.isDirectory()) {
      directoryTimes.put(p, stat.mtime());
    } else {
      Posix.lutimes(p, stat.mtime(), stat.mtime());
    }
  }

  /** Copies in the kernel (sendfile), never through the heap: files may be gigabytes. */
  private static long copyFile(Path from, Path to) throws IOException {
    try (FileChannel in =
            FileChannel.open(from, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel out =
            FileChannel.open(
                to,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
      long size = in.size();
      long done = 0;
      while (done < size) {
        long n = in.transferTo(done, size - done, out);
        if (n <= 0) {
          break; // the file shrank while copied; what was there is what the layer gets
        }
        done += n;
      }
      return done;
    }
  }

  private long write(InputStream in, Path p) throws IOException {
    long n = 0;
    try (OutputStream out =
        Files.newOutputStream(
            p,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      int r;
      while ((r = in.read(buffer)) > 0) {
        out.write(buffer, 0, r);
        n += r;
      }
    }
    return n;
  }

  private static Optional<FileStat> lstat(Path p) throws IOException {
    try {
      return Optional.of(Posix.lstat(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static String quote(String relative) {
    return CopyPlanner.quote(DestPaths.show(relative));
  }
}
