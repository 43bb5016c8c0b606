package dev.hoist.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lease files of a store. Each live lease is a file holding its start time (epoch millis) and
 * an exclusive file lock of its owner. Prune asks for the earliest live start; a lease file whose
 * lock it can take belongs to a dead process and is deleted.
 */
final class Leases {
  /**
   * Lease files owned by this JVM: never opened twice, because closing a second channel to a file
   * drops the process's POSIX lock on it.
   */
  private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private Lease own;

  Leases(Path dir) {
    this.dir = dir;
  }

  /** Starts this store's implicit lease unless it runs already. */
  synchronized void ensure() throws IOException {
    if (own == null) {
      own = acquire();
    }
  }

  Lease acquire() throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(UniqueNames.next());
    Instant start = Instant.now();
    FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.lock();
      ch.write(
          ByteBuffer.wrap(Long.toString(start.toEpochMilli()).getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
      OWNED.add(file);
      return new Lease(file, ch, lock, start, () -> OWNED.remove(file));
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** The start of the earliest live lease; stale lease files are deleted on the way. */
  Optional<Instant> earliestLive() throws IOException {
    List<Instant> starts = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        liveStart(f).ifPresent(starts::add);
      }
    }
    return starts.stream().min(Instant::compareTo);
  }

  private Optional<Instant> liveStart(Path f) throws IOException {
    try {
      Instant start = readStart(f);
      if (OWNED.contains(f)) {
        return Optional.of(start);
      }
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        FileLock probe;
        try {
          probe = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          return Optional.of(start);
        }
        if (probe == null) {
          return Optional.of(start); // another process holds it
        }
        Files.deleteIfExists(f); // its owner died without closing it
        probe.release();
        return Optional.empty();
      }
    } catch (NoSuchFileException e) {
      return Optional.empty(); // ended meanwhile
    }
  }

  private static Instant readStart(Path f) throws IOException {
    String text = Files.readString(f, StandardCharsets.US_ASCII).trim();
    try {
      return Instant.ofEpochMilli(Long.parseLong(text));
    } catch (NumberFormatException e) {
      // written but not yet filled: the file's own time is as good a start
      return Files.getLastModifiedTime(f).toInstant();
    }
  }

  synchronized void close() throws IOException {
    if (own != null) {
      own.close();
      own = null;
    }
  }
}
