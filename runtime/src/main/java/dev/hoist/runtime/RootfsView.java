package dev.hoist.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The merged view of a rootfs's layers as overlayfs would show it, read without mounting: finds
 * which layer holds a path (whiteouts and opaque directories respected) and resolves paths the way
 * the step would, symlinks staying inside the rootfs. The sandbox uses it to create mount points
 * and read /etc/passwd without ever following a symlink planted in an image out to the host.
 */
public final class RootfsView {
  private static final int MAX_SYMLINKS = 40;
  private final List<Path> layers;

  /** {@code layers} top first: the upper (or the plain dir), then the lowers downwards. */
  public RootfsView(List<Path> layers) {
    this.layers = List.copyOf(layers);
  }

  /** A path resolved inside the rootfs: no symlink on the way, {@code ..} kept inside. */
  public record Resolved(
      String relative, Optional<Path> real, int existingComponents, int components) {
    public boolean exists() {
      return real.isPresent();
    }

    /** The paths (relative) that do not exist yet, shortest first. */
    List<String> missing() {
      List<String> out = new ArrayList<>();
      String[] parts = relative.isEmpty() ? new String[0] : relative.split("/");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          sb.append('/');
        }
        sb.append(parts[i]);
        if (i >= existingComponents) {
          out.add(sb.toString());
        }
      }
      return out;
    }
  }

  /**
   * Resolves absolute {@code path} as the kernel would inside the rootfs with the rootfs as "/":
   * symlinks in the layers are followed (absolute ones from the rootfs's root), {@code ..} stops at
   * the root. The last component is followed too when {@code followLast}.
   */
  public Resolved resolve(String path, boolean followLast) throws IOException {
    Deque<String> remaining = new ArrayDeque<>(split(path));
    List<String> current = new ArrayList<>();
    int links = 0;
    int existing = 0;
    boolean missing = false;
    while (!remaining.isEmpty()) {
      String part = remaining.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!current.isEmpty()) {
          current.remove(current.size() - 1);
          existing = Math.min(existing, current.size());
          missing = current.size() > existing;
        }
        continue;
      }
      current.add(part);
      if (missing) {
        continue;
      }
      Optional<Path> real = lookup(current);
      if (real.isEmpty()) {
        missing = true;
        continue;
      }
      BasicFileAttributes attrs = attrs(real.get()).orElseThrow();
      if (attrs.isSymbolicLink() && (followLast || !remaining.isEmpty())) {
        if (++links > MAX_SYMLINKS) {
          throw new SandboxException(
              "too many levels of symbolic links resolving " + path + " in the rootfs");
        }
        current.remove(current.size() - 1);
        String target = Files.readSymbolicLink(real.get()).toString();
        if (target.startsWith("/")) {
          current.clear();
        }
        List<String> targetParts = split(target);
        for (int i = targetParts.size() - 1; i >= 0; i--) {
          remaining.addFirst(targetParts.get(i));
        }
        existing = current.size();
        continue;
      }
      existing = current.size();
    }
    String relative = String.join("/", current);
    Optional<Path> real = missing ? Optional.empty() : lookup(current);
    return new Resolved(relative, real, existing, current.size());
  }

  /** The file in the topmost layer holding {@code relative}, if the merged view has it. */
  public Optional<Path> lookup(String relative) throws IOException {
    return lookup(split(relative));
  }

  private Optional<Path> lookup(List<String> parts) throws IOException {
    if (parts.isEmpty()) {
      return Optional.of(layers.get(0));
    }
    for (int l = 0; l < layers.size(); l++) {
      Path cur = layers.get(l);
      List<Path> dirs = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        cur = cur.resolve(parts.get(i));
        Optional<BasicFileAttributes> attrs = attrs(cur);
        if (attrs.isEmpty()) {
          break;
        }
        if (isWhiteout(cur, attrs.get())) {
          return Optional.empty();
        }
        if (i == parts.size() - 1) {
          return Optional.of(cur);
        }
        if (!attrs.get().isDirectory()) {
          return Optional.empty();
        }
        dirs.add(cur);
      }
      // Not in this layer: the layers below count only if no directory on the way is opaque
      // (asked only now, as most lookups end in the first layer that has the path).
      if (l < layers.size() - 1) {
        for (Path dir : dirs) {
          if (Xattrs.isOpaque(dir)) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }

  static Optional<BasicFileAttributes> attrs(Path path) throws IOException {
    try {
      return Optional.of(
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static boolean isWhiteout(Path path, BasicFileAttributes attrs) throws IOException {
    if (!attrs.isOther()) {
      return false;
    }
    Object rdev = Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    boolean charDevice = (mode & 0170000) == 0020000;
    return charDevice && ((Number) rdev).longValue() == 0;
  }

  private static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }
}
