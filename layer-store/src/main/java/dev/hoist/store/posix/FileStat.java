package dev.hoist.store.posix;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@code lstat(2)} says about one path (the link itself, never its target).
 *
 * @param mode the full {@code st_mode}: file type bits and permission bits incl.
 *     setuid/setgid/sticky
 * @param rdev the device number of a char or block device, 0 otherwise
 */
public record FileStat(
    int mode,
    int uid,
    int gid,
    long rdev,
    int nlink,
    long ino,
    long dev,
    long size,
    Instant mtime) {
  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  public FileStat {
    Objects.requireNonNull(mtime, "mtime");
  }

  /** The file type bits ({@link #S_IFREG}, {@link #S_IFDIR}, …). */
  public int type() {
    return mode & S_IFMT;
  }

  /** The permission bits including setuid, setgid and sticky (the low 12 bits). */
  public int permissions() {
    return mode & 07777;
  }

  public boolean isRegular() {
    return type() == S_IFREG;
  }

  public boolean isDirectory() {
    return type() == S_IFDIR;
  }

  public boolean isSymlink() {
    return type() == S_IFLNK;
  }

  public boolean isCharDevice() {
    return type() == S_IFCHR;
  }

  public int rdevMajor() {
    return Posix.major(rdev);
  }

  public int rdevMinor() {
    return Posix.minor(rdev);
  }
}
