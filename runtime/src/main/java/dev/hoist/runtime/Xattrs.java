package dev.hoist.runtime;

import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Overlayfs xattrs and a full chmod, through the store's libc binding (one jnr load per run). */
final class Xattrs {
  private Xattrs() {}

  /** chmod(2) with all 12 mode bits (Java's own API drops setuid, setgid and sticky). */
  static void chmod(Path path, int mode) throws IOException {
    Posix.chmod(path, mode);
  }

  /** True when {@code dir} is an overlayfs opaque directory (hides the layers below it). */
  static boolean isOpaque(Path dir) throws IOException {
    Optional<byte[]> value = Posix.lgetxattr(dir, "trusted.overlay.opaque");
    if (value.isEmpty()) {
      value = Posix.lgetxattr(dir, "user.overlay.opaque");
    }
    return value.map(v -> v.length == 1 && v[0] == 'y').orElse(false);
  }
}
