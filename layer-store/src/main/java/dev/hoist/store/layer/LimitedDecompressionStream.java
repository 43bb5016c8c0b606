package dev.hoist.store.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Decompressed bytes, counted against the compressed bytes read, refused past a limit. */
final class LimitedDecompressionStream extends FilterInputStream {
  private final Counting compressed;
  private final DecompressionLimit limit;
  private final String label;
  private long output;

  LimitedDecompressionStream(
      InputStream decompressed, Counting compressed, DecompressionLimit limit, String label) {
    super(decompressed);
    this.compressed = compressed;
    this.limit = limit;
    this.label = label;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    if (skipped > 0) {
      count(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would count the same bytes twice
  }

  private void count(long n) throws IOException {
    output += n;
    String violation = limit.violation(output, compressed.count);
    if (!violation.isEmpty()) {
      throw new DecompressionBombException(label + ": " + violation);
    }
  }

  /** The compressed side: counts what the decompressor has read. */
  static final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count += Math.max(skipped, 0);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
