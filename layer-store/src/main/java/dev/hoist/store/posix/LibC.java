package dev.hoist.store.posix;

/**
 * The few libc functions the JDK does not offer, bound by jnr-ffi. Paths are passed as
 * NUL-terminated bytes so that no charset guess happens on the way down.
 *
 * <p>Public only because jnr-ffi generates its implementation in another class loader; call {@link
 * Posix} instead, which checks errors and names paths.
 */
public interface LibC {
  int mknod(byte[] path, int mode, long dev);

  int lchown(byte[] path, int uid, int gid);

  int chmod(byte[] path, int mode);

  int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

  long lgetxattr(byte[] path, byte[] name, byte[] value, long size);

  long llistxattr(byte[] path, byte[] list, long size);

  int lremovexattr(byte[] path, byte[] name);

  int utimensat(int dirfd, byte[] path, long[] times, int flags);

  int symlink(byte[] target, byte[] linkpath);

  int geteuid();

  String strerror(int errnum);
}
