package dev.hoist.store.layer;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves archive paths inside a root directory as if the root were {@code /} (as a chroot would):
 * every component is lstat'ed, symlinks are followed with absolute targets taken relative to the
 * root, and a path that would climb above the root is refused. No path it returns lies outside.
 */
final class RootedPaths {
  /** Linux's own limit (MAXSYMLINKS) before ELOOP. */
  private static final int MAX_SYMLINK_HOPS = 40;

  private final Path root;
  private final String label;
  private final Optional<Underlay> underlay; // present when extracting an archive (ADD)
  private final List<Map.Entry<Path, Instant>> repeatedDirectories = new ArrayList<>();

  /** For a layer: a path climbing above the root is refused. */
  RootedPaths(Path root, String label) {
    this(root, label, Optional.empty());
  }

  /**
   * For an archive extracted as Docker's and Buildah's ADD do, as if chrooted into the root: a
   * symlink's {@code ..} stops at the root, and a parent missing under the root is taken from
   * {@code underlay}, its symlinks followed and its directories repeated with their metadata.
   */
  RootedPaths(Path root, String label, Optional<Underlay> underlay) {
    this.root = root;
    this.label = label;
    this.underlay = underlay;
  }

  /** Whether this extracts an archive (ADD) rather than applying a layer. */
  boolean extracting() {
    return underlay.isPresent();
  }

  /** The directories repeated from the underlay, with the times to give them once filled. */
  List<Map.Entry<Path, Instant>> repeatedDirectories() {
    return repeatedDirectories;
  }

  Path root() {
    return root;
  }

  /**
   * The components of an entry name, refusing absolute names, {@code ..} and NUL; {@code .} and
   * empty components are dropped. An empty list means the root itself.
   */
  List<String> split(String name) throws IOException {
    if (name.startsWith("/") || name.indexOf('\0') >= 0) {
      throw escapes(name);
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw escapes(name);
      }
      parts.add(part);
    }
    return parts;
  }

  /**
   * Resolves the directory holding the last component of {@code parts}, following symlinks inside
   * the root, creating missing directories (mode 0755) when {@code create}. Returns the resolved
   * directory as components relative to the root.
   */
  List<String> parentOf(List<String> parts, String entry, boolean create) throws IOException {
    Deque<Part> todo = new ArrayDeque<>();
    parts.subList(0, parts.size() - 1).forEach(c -> todo.addLast(new Part(c, false)));
    List<String> resolved = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      Part next = todo.pollFirst();
      String c = next.name();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (resolved.isEmpty() && underlay.isPresent()) {
          continue; // in a chroot, the root's parent is the root
        }
        if (resolved.isEmpty()) {
          throw new IOException(
              label
                  + ": entry \""
                  + entry
                  + "\" leads outside the root through a symlink; refusing");
        }
        resolved.remove(resolved.size() - 1);
        continue;
      }
      Path p = path(resolved).resolve(c);
      Optional<FileStat> stat = lstat(p);
      Optional<Path> below = Optional.empty();
      if (stat.isEmpty() && underlay.isPresent()) {
        below = underlay.get().lookup(rel(resolved, c));
        if (below.isEmpty() && next.endsLink()) {
          // Docker and Buildah fail here too: mkdir -p does not go through a dangling symlink
          throw needs(
              label,
              entry,
              resolved,
              c,
              ", which a symlink on the way points at, but it does not exist (links"
                  + " resolve as if the destination directory were /)");
        }
        stat = below.isEmpty() ? stat : Optional.of(Posix.lstat(below.get()));
      }
      if (below.isPresent() && stat.get().isDirectory()) {
        repeat(below.get(), p);
        resolved.add(c);
      } else if (stat.isEmpty()) {
        if (!create) {
          throw needs(label, entry, resolved, c, ", which does not exist");
        }
        Files.createDirectory(p);
        Posix.chmod(p, 0755);
        resolved.add(c);
      } else if (stat.get().isSymlink()) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new IOException(
              label
                  + ": entry \""
                  + entry
                  + "\" passes through too many symlinks (a loop?); refusing");
        }
        String target = Files.readSymbolicLink(below.orElse(p)).toString();
        if (target.startsWith("/")) {
          resolved.clear(); // absolute targets mean the image's root, i.e. ours
        }
        String[] targetParts = target.split("/");
        for (int i = targetParts.length - 1; i >= 0; i--) {
          todo.addFirst(new Part(targetParts[i], i == targetParts.length - 1));
        }
      } else if (stat.get().isDirectory()) {
        resolved.add(c);
      } else {
        throw needs(label, entry, resolved, c, " to be a directory, but it is a file");
      }
    }
    return resolved;
  }

  /** A component still to resolve; {@code endsLink} when it is the last of a symlink's target. */
  private record Part(String name, boolean endsLink) {}

  /**
   * Makes {@code p} as the image's directory {@code image} is, so the layer repeats it unchanged
   * (when root: as an unprivileged user the owner stays the user's, as with every other entry).
   */
  private void repeat(Path image, Path p) throws IOException {
    FileStat s = Posix.lstat(image);
    Files.createDirectory(p);
    if (Posix.isRoot()) {
      Posix.lchown(p, s.uid(), s.gid());
    }
    Posix.chmod(p, s.permissions());
    repeatedDirectories.add(Map.entry(p, s.mtime()));
  }

  Path path(List<String> components) {
    Path p = root;
    for (String c : components) {
      p = p.resolve(c);
    }
    return p;
  }

  static Optional<FileStat> lstat(Path p) throws IOException {
    try {
      return Optional.of(Posix.lstat(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  IOException escapes(String name) {
    return new IOException(label + ": entry \"" + name + "\" escapes the root; refusing");
  }

  private static String rel(List<String> resolved, String c) {
    return resolved.isEmpty() ? c : String.join("/", resolved) + "/" + c;
  }

  /** "LABEL: entry "E" needs "P"" and why, the one form of this class's errors. */
  private static IOException needs(
      String label, String entry, List<String> resolved, String c, String why) {
    return new IOException(
        label + ": entry \"" + entry + "\" needs \"" + rel(resolved, c) + "\"" + why);
  }
}
