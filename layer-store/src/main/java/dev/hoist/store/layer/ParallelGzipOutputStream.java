package dev.hoist.store.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on several cores, as pigz does: the input is cut into fixed blocks, each block is deflated
 * on a pool thread primed with the previous block's last 32 KiB as dictionary and ended with a sync
 * flush, and the pieces are written in order between one gzip header and trailer. The bytes depend
 * only on the input, the level and the block size, never on the number of threads or their timing,
 * so layers stay reproducible. Memory is bounded by the blocks in flight.
 */
final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK_SIZE = 128 * 1024;
  private static final int DICTIONARY = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          THREADS,
          r -> {
            Thread t = new Thread(r, "hoist-gzip");
            t.setDaemon(true);
            return t;
          });

  private final OutputStream out;
  private final int level;
  private final CRC32 crc = new CRC32();
  private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
  private final int maxInFlight = 2 * THREADS;
  private byte[] block = new byte[BLOCK_SIZE];
  private int position;
  private byte[] dictionary = new byte[0];
  private long total;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this.out = out;
    this.level = level;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    crc.update(b, off, len);
    total += len;
    int left = len;
    int from = off;
    while (left > 0) {
      int n = Math.min(left, BLOCK_SIZE - position);
      System.arraycopy(b, from, block, position, n);
      position += n;
      from += n;
      left -= n;
      if (position == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /** Deflates what is left, writes every piece in order and the trailer, closes downstream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeHead();
      }
      int crcValue = (int) crc.getValue();
      int size = (int) total; // ISIZE is the length modulo 2^32
      out.write(
          new byte[] {
            (byte) crcValue,
            (byte) (crcValue >>> 8),
            (byte) (crcValue >>> 16),
            (byte) (crcValue >>> 24),
            (byte) size,
            (byte) (size >>> 8),
            (byte) (size >>> 16),
            (byte) (size >>> 24)
          });
    } finally {
      for (Future<byte[]> f : inFlight) {
        f.cancel(true);
      }
      out.close();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = position;
    byte[] dict = dictionary;
    dictionary = Arrays.copyOfRange(data, Math.max(0, length - DICTIONARY), length);
    inFlight.add(POOL.submit(() -> deflate(data, length, dict, last)));
    block = new byte[BLOCK_SIZE]; // the submitted one belongs to its task now
    position = 0;
    while (inFlight.size() >= maxInFlight) {
      writeHead();
    }
  }

  private void writeHead() throws IOException {
    Future<byte[]> head = inFlight.removeFirst();
    try {
      out.write(head.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing a layer");
    } catch (ExecutionException e) {
      throw new IOException("compressing a layer failed: " + e.getCause(), e.getCause());
    }
  }

  private byte[] deflate(byte[] data, int length, byte[] dict, boolean last) {
    Deflater deflater = new Deflater(level, true);
    try {
      if (dict.length > 0) {
        deflater.setDictionary(dict);
      }
      deflater.setInput(data, 0, length);
      if (last) {
        deflater.finish();
      }
      byte[] buf = new byte[length + length / 8 + 1024];
      int n = 0;
      while (true) {
        n +=
            deflater.deflate(
                buf, n, buf.length - n, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        boolean done = last ? deflater.finished() : n < buf.length;
        if (done) {
          return Arrays.copyOf(buf, n);
        }
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
    } finally {
      deflater.end();
    }
  }
}
