package dev.hoist.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes and counts the bytes read through it. */
public final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest hash;
  private final String algorithm;
  private long count;

  public DigestingInputStream(InputStream in) {
    this(in, Digest.SHA256);
  }

  public DigestingInputStream(InputStream in, String algorithm) {
    super(in);
    this.algorithm = algorithm;
    this.hash = Digest.newMessageDigest(algorithm);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      hash.update((byte) b);
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      hash.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** The digest of everything read so far; call once, after the last read. */
  public Digest digest() {
    return Digest.of(algorithm, hash.digest());
  }

  public long count() {
    return count;
  }
}
