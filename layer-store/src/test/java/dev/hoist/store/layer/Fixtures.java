package dev.hoist.store.layer;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/** Trees for layer tests, made by code. */
final class Fixtures {
  static final Instant T1 = Instant.parse("2021-03-04T05:06:07Z");
  static final Instant T2 = Instant.parse("2022-05-06T07:08:09Z");
  static final byte[] CAPABILITY = {
    1, 0, 0, 2, 0, 32, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0
  };

  private Fixtures() {}

  /**
   * Every file kind a layer carries: files with special bits, owners and xattrs (binary too),
   * directories, symlinks (relative, absolute, dangling), a hardlink group, devices, a fifo, long
   * and non-ASCII names. Times are whole seconds, as a layer keeps them by default.
   */
  static void everyKind(Path root) throws IOException {
    Path bin = Files.createDirectories(root.resolve("usr/bin"));
    file(bin.resolve("tool"), "#!/bin/sh\necho tool\n", 04755, 0, 0);
    Posix.lsetxattr(bin.resolve("tool"), "security.capability", CAPABILITY);
    file(bin.resolve("group-tool"), "g", 02711, 0, 50);
    file(root.resolve("empty"), "", 0600, 1234, 5678);
    file(root.resolve("big-ids"), "ids beyond ustar's 7 octal digits", 0644, 3_000_000, 4_000_000);
    Path data = Files.createDirectories(root.resolve("var/data"));
    byte[] random = new byte[300_000];
    new Random(42).nextBytes(random);
    Files.write(data.resolve("random.bin"), random);
    file(data.resolve("user-xattr"), "x", 0640, 33, 33);
    Posix.lsetxattr(
        data.resolve("user-xattr"), "user.comment", "héllo".getBytes(StandardCharsets.UTF_8));
    Posix.lsetxattr(data.resolve("user-xattr"), "trusted.note", new byte[] {0, 1, 2, (byte) 0xfe});
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Posix.chmod(tmp, 01777);
    Path shared = Files.createDirectories(root.resolve("srv/shared"));
    Posix.chmod(shared, 02775);
    Posix.lchown(shared, 0, 100);
    Files.createDirectories(root.resolve("private"));
    Posix.chmod(root.resolve("private"), 0700);
    Files.createSymbolicLink(root.resolve("usr/bin/sh"), Path.of("tool"));
    Files.createSymbolicLink(root.resolve("abs-link"), Path.of("/usr/bin/tool"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("no/such/file"));
    Posix.lchown(root.resolve("dangling"), 7, 8);
    file(root.resolve("hard-a"), "shared inode", 0644, 0, 0);
    Files.createLink(root.resolve("hard-b"), root.resolve("hard-a"));
    Files.createLink(root.resolve("var/hard-c"), root.resolve("hard-a"));
    Path dev = Files.createDirectories(root.resolve("dev"));
    Posix.mknod(dev.resolve("null"), FileStat.S_IFCHR, 0666, 1, 3);
    Posix.mknod(dev.resolve("loop0"), FileStat.S_IFBLK, 0660, 7, 0);
    Posix.mknod(dev.resolve("fifo"), FileStat.S_IFIFO, 0620, 0, 0);
    Path deep =
        root.resolve(
            "a-long-directory-name-".repeat(4)
                + "1/"
                + "another-long-directory-name-".repeat(3)
                + "2");
    Files.createDirectories(deep);
    file(deep.resolve("file-with-a-long-name-".repeat(5) + ".txt"), "deep", 0644, 0, 0);
    file(root.resolve("héllo wörld ☃.txt"), "unicode", 0644, 0, 0);
    setAllTimes(root, T1);
  }

  static void file(Path path, String content, int mode, int uid, int gid) throws IOException {
    Files.writeString(path, content);
    Posix.lchown(path, uid, gid);
    Posix.chmod(path, mode); // after chown, which clears setuid
  }

  /** Sets every mtime under root (root excluded), directories after their contents. */
  static void setAllTimes(Path root, Instant t) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        if (!p.equals(root)) {
          Posix.lutimes(p, t, t);
        }
      }
    }
  }
}
