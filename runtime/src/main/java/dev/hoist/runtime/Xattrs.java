package dev.hoist.runtime;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;

/** The few libc calls Java's file APIs lack: overlayfs xattrs and a full chmod. */
final class Xattrs {
  /** The libc calls used; kept private so no jnr type leaves this class. */
  public interface LibC {
    long lgetxattr(String path, String name, byte[] value, long size);

    int chmod(String path, int mode);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private Xattrs() {}

  /** chmod(2) with all 12 mode bits (Java's own API drops setuid, setgid and sticky). */
  static void chmod(Path path, int mode) throws java.io.IOException {
    if (LIBC.chmod(path.toString(), mode & 07777) != 0) {
      throw new java.io.IOException(
          "chmod " + Integer.toOctalString(mode) + " " + path + " failed");
    }
  }

  /** True when {@code dir} is an overlayfs opaque directory (hides the layers below it). */
  static boolean isOpaque(Path dir) {
    byte[] value = new byte[4];
    long n = LIBC.lgetxattr(dir.toString(), "trusted.overlay.opaque", value, value.length);
    if (n < 0) {
      n = LIBC.lgetxattr(dir.toString(), "user.overlay.opaque", value, value.length);
    }
    return n == 1 && value[0] == 'y';
  }
}
