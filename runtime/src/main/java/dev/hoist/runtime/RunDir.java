package dev.hoist.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The private work directory of one step under the store's {@code .hoist/work}: generated files
 * (fstab, hosts, config.json, set-up log) and the rootfs mount point. A locked file beside it,
 * {@code sbx-<hex>.lock}, marks it in use; a directory whose lock is free was left by a killed
 * hoist and is reclaimed on the next start.
 */
final class RunDir implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

  /**
   * Run dirs are named {@code sbx-<hex>}: the work root is shared with others (the builder keeps
   * its upper dirs there), so only these are ever reclaimed.
   */
  static final String PREFIX = "sbx-";

  private final String id;
  private final Path path;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private RunDir(String id, Path path, FileChannel lockChannel, FileLock lock) {
    this.id = id;
    this.path = path;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  static RunDir create(Path workRoot) throws IOException {
    Files.createDirectories(workRoot);
    for (int attempt = 0; ; attempt++) {
      byte[] bytes = new byte[5];
      RANDOM.nextBytes(bytes);
      String id = HexFormat.of().formatHex(bytes);
      Path path = workRoot.resolve(PREFIX + id);
      // The lock file comes first and is locked before the dir exists: a dir is never there
      // without a lock that says whether its owner lives.
      FileChannel channel;
      try {
        channel =
            FileChannel.open(
                lockFile(path), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 10) {
          throw e;
        }
        continue;
      }
      ACTIVE.add(path);
      FileLock lock = channel.lock();
      Files.createDirectory(path);
      return new RunDir(id, path, channel, lock);
    }
  }

  private static Path lockFile(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".lock");
  }

  String id() {
    return id;
  }

  Path path() {
    return path;
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() throws IOException {
    try {
      deleteTree(path);
      Files.deleteIfExists(lockFile(path));
    } finally {
      lock.release();
      lockChannel.close();
      ACTIVE.remove(path);
    }
  }

  /**
   * Deletes the run dirs under {@code workRoot} that no live hoist holds, calling {@code
   * beforeDelete} with each one's id first (to drop runtime state it left).
   */
  static void reclaimStale(Path workRoot, Consumer<String> beforeDelete) throws IOException {
    if (!Files.isDirectory(workRoot)) {
      return;
    }
    try (DirectoryStream<Path> locks = Files.newDirectoryStream(workRoot, PREFIX + "*.lock")) {
      for (Path lockFile : locks) {
        String name = lockFile.getFileName().toString();
        Path dir = workRoot.resolve(name.substring(0, name.length() - ".lock".length()));
        if (ACTIVE.contains(dir)) {
          continue;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock free = channel.tryLock();
          if (free == null) {
            continue; // a live hoist runs a step there
          }
          try {
            if (!Files.exists(dir) && young(lockFile)) {
              continue; // its owner may be between creating the lock file and locking it
            }
            beforeDelete.accept(name.substring(PREFIX.length(), name.length() - 5));
            deleteTree(dir);
            Files.deleteIfExists(lockFile);
          } finally {
            if (free.isValid()) {
              free.release();
            }
          }
        } catch (OverlappingFileLockException e) {
          // Held by another sandbox in this JVM.
        } catch (java.nio.file.NoSuchFileException e) {
          // Reclaimed by another hoist at the same time.
        }
      }
    }
  }

  private static boolean young(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toMillis() > System.currentTimeMillis() - 10_000;
  }

  /**
   * Deletes a tree without following symlinks and refusing to cross into another filesystem, so
   * that a mount left on a work dir (which should never happen) cannot cost the host its files.
   */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object rootDev = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!rootDev.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
              throw new SandboxException(
                  "refusing to delete " + dir + ": a filesystem is mounted there; unmount it");
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
