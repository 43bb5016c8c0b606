package dev.hoist.store.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs against the real kernel; the suite runs as root, as CI does. */
class PosixTest {
  @TempDir Path dir;

  @Test
  void mknod_createsCharBlockAndFifoNodes() throws Exception {
    Posix.mknod(dir.resolve("null"), FileStat.S_IFCHR, 0666, 1, 3);
    Posix.mknod(dir.resolve("loop"), FileStat.S_IFBLK, 0660, 7, 300);
    Posix.mknod(dir.resolve("fifo"), FileStat.S_IFIFO, 0644, 0, 0);

    FileStat chr = Posix.lstat(dir.resolve("null"));
    assertEquals(FileStat.S_IFCHR, chr.type());
    assertEquals(1, chr.rdevMajor());
    assertEquals(3, chr.rdevMinor());
    FileStat blk = Posix.lstat(dir.resolve("loop"));
    assertEquals(FileStat.S_IFBLK, blk.type());
    assertEquals(7, blk.rdevMajor());
    assertEquals(300, blk.rdevMinor());
    assertEquals(FileStat.S_IFIFO, Posix.lstat(dir.resolve("fifo")).type());
  }

  @Test
  void mknod_refusesRegularFileType() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Posix.mknod(dir.resolve("x"), FileStat.S_IFREG, 0644, 0, 0));
  }

  @ParameterizedTest
  @CsvSource({"04755", "02755", "01777", "06711", "0000"})
  void chmod_setsSpecialBits(String octal) throws Exception {
    int mode = Integer.parseInt(octal, 8);
    Path file = Files.createFile(dir.resolve("f"));
    Posix.chmod(file, mode);
    assertEquals(mode, Posix.lstat(file).permissions());
  }

  @Test
  void lchown_changesTheSymlinkNotItsTarget() throws Exception {
    Path target = Files.createFile(dir.resolve("target"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    Posix.lchown(link, 1234, 5678);
    assertEquals(1234, Posix.lstat(link).uid());
    assertEquals(5678, Posix.lstat(link).gid());
    assertEquals(0, Posix.lstat(target).uid());
  }

  @Test
  void xattrs_roundTripBinaryValuesInEveryNamespace() throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    byte[] capability = {1, 0, 0, 2, 0, 32, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0};
    Posix.lsetxattr(file, "security.capability", capability);
    Posix.lsetxattr(file, "user.comment", "héllo".getBytes(StandardCharsets.UTF_8));
    Posix.lsetxattr(file, "trusted.overlay.opaque", new byte[] {'y'});

    assertEquals(
        List.of("security.capability", "trusted.overlay.opaque", "user.comment"),
        Posix.llistxattr(file));
    assertArrayEquals(capability, Posix.lgetxattr(file, "security.capability").orElseThrow());
    assertEquals(Optional.empty(), Posix.lgetxattr(file, "user.absent"));
    Posix.lremovexattr(file, "user.comment");
    assertFalse(Posix.llistxattr(file).contains("user.comment"));
  }

  @Test
  void lutimes_setsNanosecondsOnASymlinkItself() throws Exception {
    Path target = Files.createFile(dir.resolve("target"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    Instant targetTime = Posix.lstat(target).mtime();
    Instant t = Instant.parse("2001-02-03T04:05:06.123456789Z");
    Posix.lutimes(link, t, t);
    assertEquals(t, Posix.lstat(link).mtime());
    assertEquals(targetTime, Posix.lstat(target).mtime());
  }

  @Test
  void symlink_keepsTheTargetByteForByte() throws Exception {
    Posix.symlink("a//b/", dir.resolve("l"));
    assertEquals("a//b/", readlink(dir.resolve("l"))); // the JDK would read back "a/b"
  }

  @Test
  void failure_namesCallPathAndErrno() {
    Path missing = dir.resolve("missing");
    PosixException e = assertThrows(PosixException.class, () -> Posix.lchown(missing, 0, 0));
    assertEquals("lchown " + missing + ": No such file or directory (errno 2)", e.getMessage());
    assertEquals(Posix.ENOENT, e.errno());
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,3", "8,1", "259,65536", "4095,255", "4096,1048575"})
  void makedev_roundTripsMajorAndMinor(int major, int minor) {
    long dev = Posix.makedev(major, minor);
    assertEquals(major, Posix.major(dev));
    assertEquals(minor, Posix.minor(dev));
  }

  @Test
  void isRoot_matchesTheJvmUser() {
    assertEquals("root".equals(System.getProperty("user.name")), Posix.isRoot());
    assertTrue(Posix.isRoot(), "these tests need root, as CI runs them");
  }

  private static String readlink(Path p) throws Exception {
    Process proc = new ProcessBuilder("readlink", p.toString()).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    proc.waitFor();
    return out;
  }
}
