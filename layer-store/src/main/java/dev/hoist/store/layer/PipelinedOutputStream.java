package dev.hoist.store.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands bytes to a second thread that writes them downstream, so that compressing a layer runs on
 * one core while reading files and hashing the tar run on another (what {@code tar | gzip} gets
 * from being two processes). Order is kept, so the output is the same as without it. Memory is
 * bounded: {@code depth + 1} chunks.
 */
final class PipelinedOutputStream extends OutputStream {
  private record Chunk(byte[] data, int length) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  private final OutputStream downstream;
  private final BlockingQueue<Chunk> full;
  private final BlockingQueue<byte[]> free;
  private final Thread worker;
  private volatile Throwable failure;
  private byte[] current;
  private int position;
  private boolean closed;

  PipelinedOutputStream(OutputStream downstream, int chunkSize, int depth, String name) {
    this.downstream = downstream;
    this.full = new ArrayBlockingQueue<>(depth + 1);
    this.free = new ArrayBlockingQueue<>(depth + 1);
    for (int i = 0; i < depth; i++) {
      free.add(new byte[chunkSize]);
    }
    this.current = new byte[chunkSize];
    this.worker = new Thread(this::drain, name);
    worker.setDaemon(true);
    worker.start();
  }

  private void drain() {
    try {
      for (Chunk c = full.take(); c != END; c = full.take()) {
        if (failure == null) {
          try {
            downstream.write(c.data(), 0, c.length());
          } catch (Throwable t) {
            failure = t; // keep taking chunks so the writer never blocks on a full queue
          }
        }
        free.put(c.data());
      }
      if (failure == null) {
        downstream.close();
      }
    } catch (Throwable t) {
      if (failure == null) {
        failure = t;
      }
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    checkFailure();
    int left = len;
    int from = off;
    while (left > 0) {
      int n = Math.min(left, current.length - position);
      System.arraycopy(b, from, current, position, n);
      position += n;
      from += n;
      left -= n;
      if (position == current.length) {
        handOver();
      }
    }
  }

  /** Waits until every byte is written downstream and the downstream stream is closed. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (position > 0) {
        full.put(new Chunk(current, position));
      }
      full.put(END);
      worker.join();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while finishing the compressed layer");
    }
    checkFailure();
  }

  private void handOver() throws IOException {
    try {
      full.put(new Chunk(current, position));
      current = free.take();
      position = 0;
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the compressed layer");
    }
  }

  private void checkFailure() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw new IOException(io.getMessage(), io);
    }
    if (t != null) {
      throw new IOException("compressing the layer failed: " + t, t);
    }
  }
}
