package dev.hoist.builder.copy;

import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.runtime.RootfsView;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files a COPY may read: the build context (one directory, {@code .dockerignore} applied) or a
 * stage's layers merged as overlayfs would show them. Paths are resolved with the source root as
 * {@code /} ({@link RootfsView}), so neither {@code ..}, an absolute path nor a symlink reaches a
 * file outside it.
 */
final class SourceTree {
  private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

  private final List<Path> layers;
  private final Optional<RootfsView> view; // none for an empty rootfs
  private final Optional<IgnoreMatcher> ignore;

  private SourceTree(List<Path> layers, Optional<IgnoreMatcher> ignore) {
    this.layers = List.copyOf(layers);
    this.view = layers.isEmpty() ? Optional.empty() : Optional.of(new RootfsView(this.layers));
    this.ignore = ignore;
  }

  static SourceTree of(FileSource source) {
    if (source instanceof FileSource.Context c) {
      return new SourceTree(List.of(c.root().toAbsolutePath()), Optional.of(c.ignore()));
    }
    return new SourceTree(((FileSource.Layers) source).topFirst(), Optional.empty());
  }

  boolean isContext() {
    return ignore.isPresent();
  }

  /** Whether the context holds {@code path} (relative): .dockerignore does not leave it out. */
  boolean holds(String path, boolean directory) {
    return ignore.isEmpty() || path.isEmpty() || ignore.get().sends(path, directory);
  }

  /** {@link #holds} for a child of a directory the context holds. */
  boolean holdsChild(SourceNode child) {
    return ignore.isEmpty()
        || ignore.get().sendsBelowSentParent(child.path(), child.stat().isDirectory());
  }

  /**
   * Resolves {@code path} (relative or absolute, both from the source root) inside the tree.
   * Symlinks on the way are followed, the last one only when {@code followLast}.
   */
  Optional<SourceNode> resolve(String path, boolean followLast) throws IOException {
    if (view.isEmpty()) {
      return Optional.empty();
    }
    RootfsView.Resolved r = view.get().resolve("/" + path, followLast);
    if (r.real().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SourceNode(r.relative(), r.real().get(), Posix.lstat(r.real().get())));
  }

  /** The children of directory {@code dir}, merged over the layers, sorted by name. */
  List<SourceNode> children(SourceNode dir) throws IOException {
    Map<String, Optional<SourceNode>> merged = new TreeMap<>();
    for (Path layerDir : contributingDirs(dir.path())) {
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(layerDir)) {
        stream.forEach(entries::add);
      }
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (merged.containsKey(name)) {
          continue; // an upper layer already decided what this name is
        }
        FileStat stat;
        try {
          stat = Posix.lstat(entry);
        } catch (NoSuchFileException e) {
          continue;
        }
        boolean hidden = layers.size() > 1 && isWhiteout(stat);
        merged.put(
            name,
            hidden ? Optional.empty() : Optional.of(new SourceNode(dir.child(name), entry, stat)));
      }
    }
    List<SourceNode> out = new ArrayList<>();
    merged.values().forEach(n -> n.ifPresent(out::add));
    return out;
  }

  /**
   * The layer directories whose entries make up directory {@code path} in the merged view, top
   * first: a whiteout or a file above stops the search, an opaque directory stops it after its own
   * layer.
   */
  private List<Path> contributingDirs(String path) throws IOException {
    List<String> parts = path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
    List<Path> out = new ArrayList<>();
    for (Path layer : layers) {
      Path cur = layer;
      boolean present = true;
      boolean opaque = false;
      for (String part : parts) {
        cur = cur.resolve(part);
        Optional<FileStat> stat = lstat(cur);
        if (stat.isEmpty()) {
          present = false;
          break;
        }
        if (!stat.get().isDirectory()) {
          return out; // a whiteout or a file hides every lower layer's directory
        }
        if (layers.size() > 1 && isOpaque(cur)) {
          opaque = true;
        }
      }
      if (present) {
        out.add(cur);
      }
      if (opaque) {
        return out;
      }
    }
    return out;
  }

  private static Optional<FileStat> lstat(Path p) throws IOException {
    try {
      return Optional.of(Posix.lstat(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static boolean isWhiteout(FileStat stat) {
    return stat.isCharDevice() && stat.rdev() == 0;
  }

  private static boolean isOpaque(Path dir) throws IOException {
    Optional<byte[]> value = Posix.lgetxattr(dir, OPAQUE_XATTR);
    return value.isPresent() && Arrays.equals(value.get(), new byte[] {'y'});
  }
}
