package dev.hoist.runtime;

import java.nio.file.Path;
import jnr.ffi.LibraryLoader;

/** Reads the overlayfs xattrs that Java's file attribute views cannot reach. */
final class Xattrs {
  /** The libc calls used; kept private so no jnr type leaves this class. */
  public interface LibC {
    long lgetxattr(String path, String name, byte[] value, long size);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private Xattrs() {}

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
