package dev.hoist.testkit.compat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The file tree an image's layers make when applied in order, as a container runtime's overlay
 * would show it: a {@code .wh.NAME} entry removes NAME (and what lies below it) from the layers
 * beneath, a {@code .wh..wh..opq} entry hides everything the layers beneath had in its directory.
 */
final class FileTree {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String XATTR_PAX = "SCHILY.xattr.";

  private final SortedMap<String, FileNode> nodes = new TreeMap<>();
  private long nextInode = 1;

  static FileTree of(List<byte[]> layers) throws IOException {
    FileTree tree = new FileTree();
    for (byte[] layer : layers) {
      tree.apply(layer);
    }
    return tree;
  }

  SortedMap<String, FileNode> nodes() {
    return Collections.unmodifiableSortedMap(nodes);
  }

  private record Pending(String path, Optional<FileNode> node, Optional<String> hardlinkTo) {}

  private void apply(byte[] layer) throws IOException {
    List<String> whiteouts = new ArrayList<>();
    List<String> opaqueDirs = new ArrayList<>();
    List<Pending> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(layer))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        String path = TreePaths.normalise(e.getName());
        String name = TreePaths.name(path);
        if (path.isEmpty()) {
          continue; // the root directory: its metadata is not part of the dump
        }
        if (name.equals(OPAQUE)) {
          opaqueDirs.add(TreePaths.parent(path));
        } else if (name.startsWith(WHITEOUT + WHITEOUT)) {
          continue; // other aufs metadata (.wh..wh.plnk, .wh..wh.aufs)
        } else if (name.startsWith(WHITEOUT)) {
          String parent = TreePaths.parent(path);
          String hidden = name.substring(WHITEOUT.length());
          whiteouts.add(parent.isEmpty() ? hidden : parent + "/" + hidden);
        } else if (e.isLink()) {
          entries.add(
              new Pending(
                  path, Optional.empty(), Optional.of(TreePaths.normalise(e.getLinkName()))));
        } else {
          entries.add(new Pending(path, Optional.of(node(e, in)), Optional.empty()));
        }
      }
    }
    // Whiteouts apply to the layers beneath, so before this layer's own entries.
    for (String dir : opaqueDirs) {
      nodes.keySet().removeIf(p -> TreePaths.isBelow(p, dir));
    }
    for (String path : whiteouts) {
      remove(path);
    }
    for (Pending p : entries) {
      FileNode node =
          p.node().isPresent() ? p.node().get() : linked(p.path(), p.hardlinkTo().orElseThrow());
      FileNode old = nodes.get(p.path());
      if (old != null && !(old.isDirectory() && node.isDirectory())) {
        remove(p.path());
      }
      nodes.put(p.path(), node);
    }
  }

  private FileNode linked(String path, String target) throws IOException {
    FileNode existing = nodes.get(target);
    if (existing == null) {
      throw new IOException("hard link " + path + " points to " + target + ", which is absent");
    }
    return existing;
  }

  private void remove(String path) {
    nodes.remove(path);
    nodes.keySet().removeIf(p -> TreePaths.isBelow(p, path));
  }

  private FileNode node(TarArchiveEntry e, InputStream content) throws IOException {
    String type;
    Optional<String> sha = Optional.empty();
    Optional<String> target = Optional.empty();
    Optional<String> device = Optional.empty();
    if (e.isDirectory()) {
      type = "dir";
    } else if (e.isSymbolicLink()) {
      type = "symlink";
      target = Optional.of(e.getLinkName());
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      type = e.isCharacterDevice() ? "chardev" : "blockdev";
      device = Optional.of(e.getDevMajor() + ":" + e.getDevMinor());
    } else if (e.isFIFO()) {
      type = "fifo";
    } else {
      type = "file";
      sha = Optional.of(sha256(content));
    }
    SortedMap<String, String> xattrs = new TreeMap<>();
    for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
      if (h.getKey().startsWith(XATTR_PAX)) {
        xattrs.put(
            h.getKey().substring(XATTR_PAX.length()),
            HexFormat.of()
                .formatHex(h.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    return new FileNode(
        type,
        e.getMode() & 07777,
        e.getLongUserId(),
        e.getLongGroupId(),
        type.equals("file") ? e.getSize() : 0,
        sha,
        target,
        device,
        xattrs,
        nextInode++);
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
