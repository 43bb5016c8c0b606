package dev.hoist.store.layer;

import dev.hoist.image.Digest;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Describes a tree as one line per path with everything a layer must keep: type, mode, owner,
 * content digest, link target, device numbers, xattrs, mtime, and which paths share an inode. Two
 * trees are equal for a layer exactly when their descriptions are.
 */
final class TreeDescription {
  private TreeDescription() {}

  static Map<String, String> of(Path root) throws IOException {
    return of(root, true);
  }

  /** The root itself is left out: a layer never carries it. */
  static Map<String, String> of(Path root, boolean withTimes) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Map<List<Long>, String> inodes = new HashMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
        if (p.equals(root)) {
          continue;
        }
        FileStat s = Posix.lstat(p);
        StringBuilder line = new StringBuilder();
        line.append(String.format("%06o %d:%d", s.mode(), s.uid(), s.gid()));
        if (s.isRegular()) {
          line.append(" size=").append(s.size()).append(" sha256=").append(sha256(p));
          if (s.nlink() > 1) {
            String first =
                inodes.putIfAbsent(List.of(s.dev(), s.ino()), root.relativize(p).toString());
            line.append(" inode-of=").append(first == null ? "self" : first);
          }
        }
        if (s.isSymlink()) {
          line.append(" -> ").append(Files.readSymbolicLink(p));
        }
        if (s.type() == FileStat.S_IFCHR || s.type() == FileStat.S_IFBLK) {
          line.append(" dev=").append(s.rdevMajor()).append(',').append(s.rdevMinor());
        }
        for (String x : Posix.llistxattr(p)) {
          line.append(' ').append(x).append('=');
          line.append(HexFormat.of().formatHex(Posix.lgetxattr(p, x).orElse(new byte[0])));
        }
        if (withTimes) {
          line.append(" mtime=").append(s.mtime());
        }
        out.put(root.relativize(p).toString(), line.toString());
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    MessageDigest md = Digest.newMessageDigest(Digest.SHA256);
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 16);
  }
}
