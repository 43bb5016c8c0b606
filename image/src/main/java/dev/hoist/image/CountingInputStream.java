package dev.hoist.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read (and skipped) through it. Subclasses that must see the bytes themselves (to
 * hash them, or to check a limit) override the {@code update} hooks, called after each read with
 * the bytes just counted.
 */
public class CountingInputStream extends FilterInputStream {
  private long count;

  public CountingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count++;
      update(b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
      update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    if (skipped > 0) {
      count += skipped;
      skipped(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would count the same bytes twice
  }

  /** The bytes read and skipped so far. */
  public long count() {
    return count;
  }

  /** Called with each byte read singly, after it is counted. */
  protected void update(int b) throws IOException {}

  /** Called with each run of bytes read, after it is counted. */
  protected void update(byte[] b, int off, int len) throws IOException {}

  /** Called after {@code n} bytes were skipped unseen and counted. */
  protected void skipped(long n) throws IOException {}
}
