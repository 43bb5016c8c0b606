package dev.hoist.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A claim that some work started at {@link #start()} and may still tag blobs written or touched
 * since then; {@link Store#prune} keeps those blobs while the lease lives. Backed by a file in
 * {@code .hoist/leases} locked by its owner, so a lease of a process that died is seen as stale.
 */
public final class Lease implements Closeable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Instant start;
  private final Runnable onClose;
  private boolean closed;

  Lease(Path file, FileChannel channel, FileLock lock, Instant start, Runnable onClose) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.start = start;
    this.onClose = onClose;
  }

  public Instant start() {
    return start;
  }

  Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(file);
      lock.release();
      channel.close();
    } finally {
      onClose.run();
    }
  }
}
