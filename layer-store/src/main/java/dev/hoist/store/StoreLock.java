package dev.hoist.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store-wide lock on {@code .hoist/lock}, held while {@code index.json} changes and while prune
 * runs. A {@link FileLock} excludes other processes; a JVM-wide {@link ReentrantLock} per lock file
 * excludes other threads of this process, which a file lock alone does not (the JVM holds file
 * locks per process and throws on an overlapping request).
 */
final class StoreLock {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock threads;

  StoreLock(Path file) throws IOException {
    this.file = file;
    this.threads = IN_PROCESS.computeIfAbsent(file.toRealPath(), p -> new ReentrantLock());
  }

  /** A held lock; closing it releases it. Re-entrant within one thread. */
  interface Held extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  Held acquire() throws IOException {
    threads.lock();
    if (threads.getHoldCount() > 1) {
      return threads::unlock;
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
      FileLock lock = channel.lock();
      FileChannel ch = channel;
      return () -> {
        try {
          lock.release();
          ch.close();
        } finally {
          threads.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threads.unlock();
      throw e;
    }
  }
}
