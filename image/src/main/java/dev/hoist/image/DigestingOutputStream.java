package dev.hoist.image;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through to another stream while hashing and counting them. */
public final class DigestingOutputStream extends FilterOutputStream {
  private final MessageDigest hash;
  private final String algorithm;
  private long count;

  public DigestingOutputStream(OutputStream out) {
    this(out, Digest.SHA256);
  }

  public DigestingOutputStream(OutputStream out, String algorithm) {
    super(out);
    this.algorithm = algorithm;
    this.hash = Digest.newMessageDigest(algorithm);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    hash.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    hash.update(b, off, len);
    count += len;
  }

  /** The digest of everything written so far; call once, after the last write. */
  public Digest digest() {
    return Digest.of(algorithm, hash.digest());
  }

  /** The digest of everything written so far, leaving the stream open for more. */
  public Digest peek() {
    try {
      return Digest.of(algorithm, ((MessageDigest) hash.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(algorithm + " cannot be cloned", e);
    }
  }

  public long count() {
    return count;
  }
}
