package dev.hoist.store;

import dev.hoist.image.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directories of {@code RUN --mount=type=cache} under a store's cache dir, and who uses them.
 *
 * <p>A directory is named by a digest of the mount's id, so no id (not even {@code ../../etc}) can
 * point outside the cache. A process that mounts one holds a shared lock on its {@code .lock} file
 * until it exits, and {@code hoist prune --cache} only deletes directories whose lock it can take
 * exclusively: emptying the cache never pulls a directory from under a running step. The lock files
 * themselves stay (they are empty): deleting one would let a process lock an orphaned inode.
 */
public final class CacheMounts {
  private static final String DIR = "mounts";
  private static final String LOCK = ".lock";

  /**
   * Locks held by this JVM, never opened twice: closing a second channel to a file would drop the
   * process's POSIX lock on it.
   */
  private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

  private CacheMounts() {}

  /** The directory of cache mount {@code id} under {@code cacheDir}; not created. */
  public static Path dir(Path cacheDir, String id) {
    return cacheDir
        .resolve(DIR)
        .resolve(Digest.sha256(id.getBytes(StandardCharsets.UTF_8)).hex())
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Marks {@code dir} (from {@link #dir}) as in use by this process until it exits; waits while a
   * prune is deleting it. Call before creating or mounting the directory.
   */
  public static void hold(Path dir) throws IOException {
    Path lock = lockFile(dir);
    if (HELD.containsKey(lock)) {
      return;
    }
    synchronized (HELD) {
      if (HELD.containsKey(lock)) {
        return;
      }
      Files.createDirectories(lock.getParent());
      FileChannel ch =
          FileChannel.open(
              lock, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        HELD.put(lock, ch.lock(0, Long.MAX_VALUE, true));
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
  }

  /**
   * Deletes the cache mount directories below {@code cacheDir} that no process holds.
   *
   * @return how many were deleted and their bytes
   */
  static long[] deleteUnused(Path cacheDir) throws IOException {
    Path mounts = cacheDir.resolve(DIR);
    long count = 0;
    long bytes = 0;
    if (!Files.isDirectory(mounts)) {
      return new long[] {0, 0};
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(mounts)) {
      for (Path dir : entries) {
        if (dir.getFileName().toString().endsWith(LOCK)) {
          continue;
        }
        Path lock = lockFile(dir.toAbsolutePath().normalize());
        if (HELD.containsKey(lock)) {
          continue; // this JVM mounts it
        }
        try (FileChannel ch =
            FileChannel.open(
                lock,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
          FileLock exclusive;
          try {
            exclusive = ch.tryLock();
          } catch (OverlappingFileLockException e) {
            continue;
          }
          if (exclusive == null) {
            continue; // a running step has it mounted
          }
          long size = FileTrees.size(dir);
          try {
            FileTrees.deleteRecursively(dir);
          } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            continue; // changed while deleting: whoever changed it may keep it
          }
          count++;
          bytes += size;
        }
      }
    }
    return new long[] {count, bytes};
  }

  /** Whether {@code name}, a child of the cache dir, is the directory of the cache mounts. */
  static boolean isMountsDir(Path child) {
    return child.getFileName().toString().equals(DIR);
  }

  private static Path lockFile(Path dir) {
    return dir.resolveSibling(dir.getFileName() + LOCK);
  }
}
