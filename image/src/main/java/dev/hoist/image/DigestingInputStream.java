package dev.hoist.image;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes and counts the bytes read through it. */
public final class DigestingInputStream extends CountingInputStream {
  private final MessageDigest hash;
  private final String algorithm;

  public DigestingInputStream(InputStream in) {
    this(in, Digest.SHA256);
  }

  public DigestingInputStream(InputStream in, String algorithm) {
    super(in);
    this.algorithm = algorithm;
    this.hash = Digest.newMessageDigest(algorithm);
  }

  @Override
  protected void update(int b) {
    hash.update((byte) b);
  }

  @Override
  protected void update(byte[] b, int off, int len) {
    hash.update(b, off, len);
  }

  /** Reads the skipped bytes through, so that the digest covers them. */
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

  /** The digest of everything read so far; call once, after the last read. */
  public Digest digest() {
    return Digest.of(algorithm, hash.digest());
  }
}
