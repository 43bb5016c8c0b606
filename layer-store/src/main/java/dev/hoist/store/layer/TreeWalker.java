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
    String context = "cannot write a layer from " + source + ": ";
    try {
      FileStat rootStat = Posix.lstat(source.root());
      if (!rootStat.isDirectory()) {
        throw new IOException(context + "not a directory");
      }
      walkChildren(source.root(), "");
    } catch (java.nio.file.FileSystemException e) {
      // e.g. a file deleted while we walk: the JDK message is only the path
      String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
      throw new IOException(context + e.getFile() + ": " + reason, e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("cannot write a layer")) {
        throw e;
      }
      throw new IOException(context + e.getMessage(), e);
    }
  }

  /**
   * A directory entry with the name it gets in the layer (a whiteout is named for what it hides).
   */
  private record Child(String name, String layerName, byte[] sortKey, Path path, FileStat stat) {}

  private void walkChildren(Path dir, String prefix) throws IOException {
    for (Child child : sortedChildren(dir)) {
      String name = prefix + child.name();
      Path path = child.path();
      FileStat stat = child.stat();
      if (stat.isDirectory()) {
        Map<String, byte[]> xattrs = xattrs(path);
        boolean opaque =
            overlay && Arrays.equals(xattrs.get(Whiteouts.OVERLAY_OPAQUE_XATTR), OPAQUE_VALUE);
        if (overlay) {
          dropOverlayXattrs(name + "/", xattrs);
        }
        tar.putEntry(entry(name + "/", TarEntry.TYPE_DIRECTORY, stat, 0, "", xattrs));
        tar.closeEntry();
        if (opaque) {
          tar.putEntry(marker(name + "/" + Whiteouts.OPAQUE, stat));
          tar.closeEntry();
        }
        walkChildren(path, name + "/");
      } else if (isWhiteout(stat)) {
        tar.putEntry(marker(prefix + child.layerName(), stat));
        tar.closeEntry();
      } else {
        file(path, name, stat);
      }
    }
  }

  private boolean isWhiteout(FileStat stat) {
    return overlay && stat.isCharDevice() && stat.rdev() == 0;
  }

  private void file(Path path, String name, FileStat stat) throws IOException {
    Map<String, byte[]> xattrs = xattrs(path);
    if (overlay) {
      dropOverlayXattrs(name, xattrs);
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

  /**
   * Removes overlayfs bookkeeping (origin, impure, nlink, opaque) from what goes into the layer. A
   * redirect or metacopy entry has its data elsewhere, so it cannot become a layer entry: refuse.
   */
  private void dropOverlayXattrs(String name, Map<String, byte[]> xattrs) throws IOException {
    for (String refused : new String[] {"trusted.overlay.redirect", "trusted.overlay.metacopy"}) {
      if (xattrs.containsKey(refused)) {
        throw new IOException(
            "cannot write a layer from "
                + source
                + ": "
                + name
                + " has xattr "
                + refused
                + "; mount the overlay with redirect_dir=off and metacopy=off");
      }
    }
    xattrs.keySet().removeIf(k -> k.startsWith(Whiteouts.OVERLAY_XATTR_PREFIX));
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

  /**
   * The children of {@code dir} in byte order of their names in the layer, so that the tar is
   * sorted whatever order the kernel lists the directory in.
   */
  private List<Child> sortedChildren(Path dir) throws IOException {
    List<Child> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        FileStat stat = Posix.lstat(path);
        String layerName = isWhiteout(stat) ? Whiteouts.PREFIX + name : name;
        children.add(
            new Child(name, layerName, layerName.getBytes(StandardCharsets.UTF_8), path, stat));
      }
    }
    children.sort((a, b) -> Arrays.compareUnsigned(a.sortKey(), b.sortKey()));
    return children;
  }
}
