package dev.hoist.builder.copy;

import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test trees written from one-line specs and read back as sorted one-line listings. */
final class Trees {
  static final Instant OLD = Instant.parse("2001-02-03T04:05:06Z");

  private Trees() {}

  /**
   * Writes entries under {@code root}: {@code dir/}, {@code name=content}, {@code name->target} (a
   * symlink); parents are made 0755, files 0644, every mtime {@link #OLD}.
   */
  static Path write(Path root, String... entries) throws IOException {
    Files.createDirectories(root);
    for (String e : entries) {
      if (e.contains("->")) {
        String[] kv = e.split("->", 2);
        Path p = root.resolve(kv[0]);
        Files.createDirectories(p.getParent());
        Posix.symlink(kv[1], p);
      } else if (e.endsWith("/")) {
        Files.createDirectories(root.resolve(e));
      } else {
        String[] kv = e.split("=", 2);
        Path p = root.resolve(kv[0]);
        Files.createDirectories(p.getParent());
        Files.writeString(p, kv.length > 1 ? kv[1] : "");
        Posix.chmod(p, 0644);
      }
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Posix.lutimes(p, OLD, OLD);
      }
    }
    return root;
  }

  /**
   * One line per path below {@code root}, sorted: {@code d 0755 0:0 app}, {@code f 0644 0:0 app/a
   * "hello"}, {@code l 0:0 app/l -> a}, {@code c 0:0 x 1,3}.
   */
  static List<String> list(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted()::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        FileStat s = Posix.lstat(p);
        String owner = s.uid() + ":" + s.gid();
        String mode = String.format("%04o", s.permissions());
        if (s.isDirectory()) {
          out.add("d " + mode + " " + owner + " " + rel);
        } else if (s.isSymlink()) {
          out.add("l " + owner + " " + rel + " -> " + Files.readSymbolicLink(p));
        } else if (s.isRegular()) {
          String content = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
          out.add("f " + mode + " " + owner + " " + rel + " \"" + content + "\"");
        } else {
          out.add("c " + owner + " " + rel + " " + s.rdevMajor() + "," + s.rdevMinor());
        }
      }
    }
    return out;
  }

  static Instant mtime(Path p) throws IOException {
    return Posix.lstat(p).mtime();
  }

  static void touch(Path p, Instant t) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(t));
  }
}
