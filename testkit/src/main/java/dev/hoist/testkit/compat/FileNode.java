package dev.hoist.testkit.compat;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One path of an image's final file tree, as its layers' tar headers describe it: no mtimes, and
 * {@code inode} only to find hard link groups (paths made by one tar hard link entry share it).
 */
record FileNode(
    String type,
    int mode,
    long uid,
    long gid,
    long size,
    Optional<String> sha256,
    Optional<String> linkTarget,
    Optional<String> device,
    SortedMap<String, String> xattrs,
    long inode) {

  FileNode {
    xattrs = new TreeMap<>(xattrs);
  }

  /** The same node under another inode (a copy, not a hard link). */
  FileNode withInode(long newInode) {
    return new FileNode(type, mode, uid, gid, size, sha256, linkTarget, device, xattrs, newInode);
  }

  boolean isDirectory() {
    return type.equals("dir");
  }

  boolean isEmptyRegularFile() {
    return type.equals("file") && size == 0;
  }

  /** Type, mode, owner, content and link target: everything the dump shows but the path. */
  String describe() {
    StringBuilder out = new StringBuilder(type);
    out.append(' ')
        .append(String.format("%04o", mode))
        .append(' ')
        .append(uid)
        .append(':')
        .append(gid);
    if (type.equals("file")) {
      out.append(" size=").append(size);
      sha256.ifPresent(h -> out.append(" sha256=").append(h));
    }
    device.ifPresent(d -> out.append(" dev=").append(d));
    linkTarget.ifPresent(t -> out.append(" -> ").append(t));
    for (Map.Entry<String, String> x : xattrs.entrySet()) {
      out.append(" xattr:").append(x.getKey()).append('=').append(x.getValue());
    }
    return out.toString();
  }
}
