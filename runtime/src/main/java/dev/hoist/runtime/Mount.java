package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A mount added to a step: a bind mount of a host path, a copy-on-write view of one, or a tmpfs.
 *
 * @param type bind, overlay or tmpfs
 * @param source the host path of a bind or overlay mount; empty for tmpfs
 * @param target the absolute path inside the step
 * @param readOnly whether the step may write through it
 */
public record Mount(Type type, Optional<Path> source, String target, boolean readOnly) {
  /** What kind of mount. */
  public enum Type {
    BIND,
    /**
     * A writable view of the source whose writes land in a throw-away dir of the step's own (an
     * overlay with the source as its lower dir; a copy for a single file): the source never changes
     * and the writes are gone when the step ends, as BuildKit's {@code RUN --mount=type=bind,rw}.
     */
    OVERLAY,
    TMPFS
  }

  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException(
          "mount target '" + target + "' is not absolute: write it as /" + target);
    }
    if (type != Type.TMPFS && source.isEmpty()) {
      throw new IllegalArgumentException("bind mount on " + target + " has no source");
    }
    if (type == Type.OVERLAY && readOnly) {
      throw new IllegalArgumentException(
          "overlay mount on " + target + " is read-only: use a read-only bind mount instead");
    }
  }

  /** A bind mount of host path {@code source} at {@code target}. */
  public static Mount bind(Path source, String target, boolean readOnly) {
    return new Mount(Type.BIND, Optional.of(source.toAbsolutePath().normalize()), target, readOnly);
  }

  /**
   * A writable view of host path {@code source} at {@code target} whose writes are discarded when
   * the step ends: {@code source} itself never changes.
   */
  public static Mount overlay(Path source, String target) {
    return new Mount(Type.OVERLAY, Optional.of(source.toAbsolutePath().normalize()), target, false);
  }

  /** A fresh tmpfs at {@code target}. */
  public static Mount tmpfs(String target) {
    return new Mount(Type.TMPFS, Optional.empty(), target, false);
  }

  /**
   * Parses docker's {@code -v HOST:CTR[:ro|rw]}; the host path must be absolute or start with
   * {@code .}, and is resolved against {@code cwd}.
   */
  public static Mount parseVolume(String spec, Path cwd) {
    String[] parts = spec.split(":", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "invalid volume '" + spec + "': write it as HOST_PATH:CONTAINER_PATH[:ro]");
    }
    boolean readOnly = false;
    if (parts.length == 3) {
      readOnly =
          switch (parts[2]) {
            case "ro" -> true;
            case "rw" -> false;
            default ->
                throw new IllegalArgumentException(
                    "invalid volume '" + spec + "': the mode '" + parts[2] + "' is not ro or rw");
          };
    }
    if (!parts[0].startsWith("/") && !parts[0].startsWith(".")) {
      throw new IllegalArgumentException(
          "invalid volume '"
              + spec
              + "': named volumes are not supported; give an absolute host path");
    }
    return bind(cwd.resolve(parts[0]), parts[1], readOnly);
  }
}
