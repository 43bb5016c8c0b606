package dev.hoist.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that are all or nothing: temp file in the store's tmp dir (same filesystem), fsync, rename
 * over the target, fsync of the target's directory. A reader sees the old file or the new one,
 * never a part of either, and after a crash the rename is either durable or absent.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** A new, empty, uniquely named file in {@code tmpDir}. */
  static Path newTempFile(Path tmpDir, String suffix) throws IOException {
    return Files.createFile(tmpDir.resolve(UniqueNames.next() + suffix));
  }

  /**
   * Replaces {@code target} with {@code bytes} atomically; {@code tmpDir} must be on its filesystem
   * (its own directory always is).
   */
  public static void write(Path tmpDir, Path target, byte[] bytes) throws IOException {
    Path tmp = newTempFile(tmpDir, ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        out.write(bytes);
        out.flush();
        ch.force(true);
      }
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** fsyncs {@code file}'s bytes (it must be closed by its writer or still be open elsewhere). */
  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Renames {@code tmp} over {@code target} and makes the rename durable. */
  static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename "
              + tmp
              + " to "
              + target
              + " atomically: the store's tmp dir must be on the same filesystem as its blobs",
          e);
    }
    fsyncDir(target.getParent());
  }

  /** Makes the creation, rename or deletion of entries in {@code dir} durable. */
  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
