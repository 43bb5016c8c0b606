package dev.hoist.store.layer;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks a tree depth first, children in byte order of their UTF-8 names, and writes each file as a
 * tar entry. The order and every header field depend only on the tree's content, never on the order
 * the kernel lists a directory in, nor on atime or ctime.
 */
final class TreeWalker {
  private static final byte[] OPAQUE_VALUE = {'y'};

  private final LayerSource source;
  private final LayerOptions options;
  private final TarWriter tar;
  private final byte[] buffer = new byte[128 * 1024];
  private final Map<FileKey, String> hardlinks = new HashMap<>();
  private final boolean overlay;

  private record FileKey(long dev, long ino) {}

  TreeWalker(LayerSource source, LayerOptions options, TarWriter tar) {
    this.source = source;
    this.options = options;
    this.tar = tar;
    this.overlay = source.kind() == LayerSource.Kind.OVERLAY_UPPER;
  }

  void walk() throws IOException {
    FileStat rootStat = Posix.lstat(source.root());
    if (!rootStat.isDirectory()) {
      throw new IOException("cannot write a layer from " + source + ": not a directory");
    }
    walkChildren(source.root(), "");
  }

  private void walkChildren(Path dir, String prefix) throws IOException {
    for (String child : sortedChildren(dir)) {
      Path path = dir.resolve(child);
      String name = prefix + child;
      FileStat stat = Posix.lstat(path);
      if (stat.isDirectory()) {
        Map<String, byte[]> xattrs = xattrs(path);
        boolean opaque =
            overlay && Arrays.equals(xattrs.get(Whiteouts.OVERLAY_OPAQUE_XATTR), OPAQUE_VALUE);
        if (overlay) {
          xattrs.keySet().removeIf(k -> k.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX));
        }
        tar.putEntry(entry(name + "/", TarEntry.TYPE_DIRECTORY, stat, 0, "", xattrs));
        tar.closeEntry();
        if (opaque) {
          tar.putEntry(marker(name + "/" + Whiteouts.OPAQUE, stat));
          tar.closeEntry();
        }
        walkChildren(path, name + "/");
      } else {
        file(path, name, stat);
      }
    }
  }

  private void file(Path path, String name, FileStat stat) throws IOException {
    if (overlay && stat.isCharDevice() && stat.rdev() == 0) {
      int slash = name.lastIndexOf('/');
      tar.putEntry(
          marker(
              name.substring(0, slash + 1) + Whiteouts.PREFIX + name.substring(slash + 1), stat));
      tar.closeEntry();
      return;
    }
    Map<String, byte[]> xattrs = xattrs(path);
    if (overlay) {
      for (String key : xattrs.keySet()) {
        if (key.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX)) {
          // redirect and metacopy files have no (full) data in the upper dir; we never mount so.
          throw new IOException(
              "cannot write a layer from "
                  + source
                  + ": "
                  + name
                  + " has xattr "
                  + key
                  + " (overlay redirect_dir/metacopy are not supported); mount without them");
        }
      }
    }
    switch (stat.type()) {
      case FileStat.S_IFREG -> regular(path, name, stat, xattrs);
      case FileStat.S_IFLNK -> {
        String target = Files.readSymbolicLink(path).toString();
        tar.putEntry(entry(name, TarEntry.TYPE_SYMLINK, stat, 0, target, xattrs));
        tar.closeEntry();
      }
      case FileStat.S_IFCHR, FileStat.S_IFBLK, FileStat.S_IFIFO -> {
        char type =
            stat.type() == FileStat.S_IFCHR
                ? TarEntry.TYPE_CHAR
                : stat.type() == FileStat.S_IFBLK ? TarEntry.TYPE_BLOCK : TarEntry.TYPE_FIFO;
        tar.putEntry(entry(name, type, stat, 0, "", xattrs));
        tar.closeEntry();
      }
      default -> {} // sockets cannot be archived; Docker skips them too
    }
  }

  private void regular(Path path, String name, FileStat stat, Map<String, byte[]> xattrs)
      throws IOException {
    if (stat.nlink() > 1) {
      FileKey key = new FileKey(stat.dev(), stat.ino());
      String first = hardlinks.putIfAbsent(key, name);
      if (first != null) {
        tar.putEntry(entry(name, TarEntry.TYPE_HARDLINK, stat, 0, first, xattrs));
        tar.closeEntry();
        return;
      }
    }
    tar.putEntry(entry(name, TarEntry.TYPE_REGULAR, stat, stat.size(), "", xattrs));
    try (InputStream in = Files.newInputStream(path)) {
      long left = stat.size();
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break; // closeEntry reports the shrink
        }
        tar.write(buffer, 0, n);
        left -= n;
      }
    }
    tar.closeEntry();
  }

  private TarEntry entry(
      String name, char type, FileStat stat, long size, String link, Map<String, byte[]> xattrs) {
    boolean device = type == TarEntry.TYPE_CHAR || type == TarEntry.TYPE_BLOCK;
    return new TarEntry(
        name,
        type,
        stat.permissions(),
        Integer.toUnsignedLong(stat.uid()),
        Integer.toUnsignedLong(stat.gid()),
        size,
        options.normalise(stat.mtime()),
        link,
        device ? stat.rdevMajor() : 0,
        device ? stat.rdevMinor() : 0,
        xattrs);
  }

  /** An empty regular file standing for a whiteout or an opaque marker. */
  private TarEntry marker(String name, FileStat stat) {
    Instant mtime = options.normalise(stat.mtime());
    return new TarEntry(name, TarEntry.TYPE_REGULAR, 0, 0, 0, 0, mtime, "", 0, 0, Map.of());
  }

  private Map<String, byte[]> xattrs(Path path) throws IOException {
    List<String> names = Posix.llistxattr(path);
    if (names.isEmpty()) {
      return new TreeMap<>();
    }
    Map<String, byte[]> out = new TreeMap<>();
    for (String name : names) {
      if (name.equals("security.selinux")) {
        continue; // the host's label, not the image's
      }
      Posix.lgetxattr(path, name).ifPresent(v -> out.put(name, v));
    }
    return out;
  }

  private static List<String> sortedChildren(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    }
    names.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    return names;
  }
}
