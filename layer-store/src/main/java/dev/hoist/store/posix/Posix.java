package dev.hoist.store.posix;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The POSIX file operations a layer needs and the JDK lacks: device nodes, ownership of symlinks,
 * setuid/setgid/sticky bits, xattrs outside {@code user.*}, and nanosecond times on symlinks. Each
 * failure is a {@link PosixException} naming the call, the path and the errno text.
 */
public final class Posix {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EEXIST = 17;
  public static final int ERANGE = 34;
  public static final int ENODATA = 61;
  public static final int ENOTSUP = 95;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final String STAT_ATTRIBUTES =
      "unix:mode,uid,gid,rdev,nlink,ino,dev,size,lastModifiedTime";
  // File names are bytes; the JDK maps them with this charset, so we must map them back with it.
  private static final Charset PATH_CHARSET =
      Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

  private Posix() {}

  /** Loaded on first use so that classes which only need {@link #lstat} never touch native code. */
  private static final class Native {
    static final LibC LIBC = NativeLibraries.load(LibC.class, "c");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
  }

  /** {@code lstat(2)}: the link itself, never its target. */
  public static FileStat lstat(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, STAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    return new FileStat(
        (Integer) a.get("mode"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("rdev"),
        (Integer) a.get("nlink"),
        (Long) a.get("ino"),
        (Long) a.get("dev"),
        (Long) a.get("size"),
        ((FileTime) a.get("lastModifiedTime")).toInstant());
  }

  /**
   * {@code mknod(2)}: creates a character device, block device or fifo.
   *
   * @param type {@link FileStat#S_IFCHR}, {@link FileStat#S_IFBLK} or {@link FileStat#S_IFIFO}
   */
  public static void mknod(Path path, int type, int permissions, int major, int minor)
      throws IOException {
    if (type != FileStat.S_IFCHR && type != FileStat.S_IFBLK && type != FileStat.S_IFIFO) {
      throw new IllegalArgumentException("mknod type must be S_IFCHR, S_IFBLK or S_IFIFO: " + type);
    }
    check(
        Native.LIBC.mknod(bytes(path), type | (permissions & 07777), makedev(major, minor)),
        "mknod",
        path);
  }

  /** {@code lchown(2)}: changes the owner of the path itself (a symlink is not followed). */
  public static void lchown(Path path, int uid, int gid) throws IOException {
    check(Native.LIBC.lchown(bytes(path), uid, gid), "lchown", path);
  }

  /**
   * {@code chmod(2)} with all 12 bits (setuid 04000, setgid 02000, sticky 01000). Follows symlinks,
   * as Linux cannot change a symlink's mode; do not call it on one.
   */
  public static void chmod(Path path, int permissions) throws IOException {
    check(Native.LIBC.chmod(bytes(path), permissions & 07777), "chmod", path);
  }

  /** {@code lsetxattr(2)}: sets an xattr on the path itself (any namespace the caller may use). */
  public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    Objects.requireNonNull(value, "value");
    check(
        Native.LIBC.lsetxattr(bytes(path), cString(name), value, value.length, 0),
        "lsetxattr " + name,
        path);
  }

  /** {@code lremovexattr(2)}; absent is not an error. */
  public static void lremovexattr(Path path, String name) throws IOException {
    int rc = Native.LIBC.lremovexattr(bytes(path), cString(name));
    if (rc != 0 && errno() != ENODATA) {
      throw failure("lremovexattr " + name, path, errno());
    }
  }

  /** {@code lgetxattr(2)}: the value, or empty when the path has no such xattr. */
  public static Optional<byte[]> lgetxattr(Path path, String name) throws IOException {
    byte[] p = bytes(path);
    byte[] n = cString(name);
    while (true) {
      long size = Native.LIBC.lgetxattr(p, n, null, 0);
      if (size < 0) {
        return absentOrFail(errno(), "lgetxattr " + name, path);
      }
      byte[] value = new byte[(int) size];
      long got = Native.LIBC.lgetxattr(p, n, value, value.length);
      if (got >= 0) {
        return Optional.of(got == size ? value : Arrays.copyOf(value, (int) got));
      }
      int errno = errno();
      if (errno != ERANGE) { // ERANGE: the value grew between the calls; ask again
        return absentOrFail(errno, "lgetxattr " + name, path);
      }
    }
  }

  /** {@code llistxattr(2)}: the xattr names of the path itself, sorted; empty where unsupported. */
  public static List<String> llistxattr(Path path) throws IOException {
    byte[] p = bytes(path);
    while (true) {
      long size = Native.LIBC.llistxattr(p, null, 0);
      if (size < 0) {
        if (errno() == ENOTSUP) {
          return List.of();
        }
        throw failure("llistxattr", path, errno());
      }
      if (size == 0) {
        return List.of();
      }
      byte[] list = new byte[(int) size];
      long got = Native.LIBC.llistxattr(p, list, list.length);
      if (got < 0) {
        if (errno() == ERANGE) {
          continue;
        }
        throw failure("llistxattr", path, errno());
      }
      List<String> names = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < got; i++) {
        if (list[i] == 0) {
          names.add(new String(list, start, i - start, PATH_CHARSET));
          start = i + 1;
        }
      }
      names.sort(null);
      return names;
    }
  }

  /**
   * {@code utimensat(2)} with {@code AT_SYMLINK_NOFOLLOW}: sets access and modification time with
   * nanoseconds on the path itself, symlinks included.
   */
  public static void lutimes(Path path, Instant atime, Instant mtime) throws IOException {
    long[] times = {
      atime.getEpochSecond(), atime.getNano(), mtime.getEpochSecond(), mtime.getNano()
    };
    check(
        Native.LIBC.utimensat(AT_FDCWD, bytes(path), times, AT_SYMLINK_NOFOLLOW),
        "utimensat",
        path);
  }

  /**
   * {@code symlink(2)}: creates {@code link} pointing at {@code target} byte for byte (the JDK's
   * {@code createSymbolicLink} normalises the target, e.g. drops a trailing slash).
   */
  public static void symlink(String target, Path link) throws IOException {
    Objects.requireNonNull(target, "target");
    check(Native.LIBC.symlink(cString(target), bytes(link)), "symlink", link);
  }

  /** Whether this process runs with effective uid 0 (may chown, mknod, set trusted xattrs). */
  public static boolean isRoot() {
    return Native.LIBC.geteuid() == 0;
  }

  /** glibc's {@code makedev}: the 64-bit {@code dev_t} of a major and minor number. */
  public static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0x00000fffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0x000000ffL);
  }

  public static int major(long dev) {
    return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
  }

  public static int minor(long dev) {
    return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
  }

  private static Optional<byte[]> absentOrFail(int errno, String call, Path path)
      throws PosixException {
    if (errno == ENODATA || errno == ENOTSUP) {
      return Optional.empty();
    }
    throw failure(call, path, errno);
  }

  private static void check(int rc, String call, Path path) throws PosixException {
    if (rc != 0) {
      throw failure(call, path, errno());
    }
  }

  private static int errno() {
    return Native.RUNTIME.getLastError();
  }

  private static PosixException failure(String call, Path path, int errno) {
    return new PosixException(
        call + " " + path + ": " + Native.LIBC.strerror(errno) + " (errno " + errno + ")", errno);
  }

  private static byte[] bytes(Path path) {
    return cString(path.toString());
  }

  private static byte[] cString(String s) {
    byte[] b = s.getBytes(PATH_CHARSET);
    return Arrays.copyOf(b, b.length + 1);
  }
}
