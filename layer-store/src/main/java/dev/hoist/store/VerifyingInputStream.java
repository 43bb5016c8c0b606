package dev.hoist.store;

import dev.hoist.image.Digest;
import dev.hoist.image.DigestingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a blob and, at its end, checks the bytes against the digest the blob is named by: a reader
 * that consumes the whole stream never gets corrupt bytes without an exception.
 */
final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final String what;
  private boolean checked;

  VerifyingInputStream(InputStream in, Digest expected, String what) {
    super(new DigestingInputStream(in, expected.algorithm()));
    this.expected = expected;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      check();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      check();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return in.skip(n); // DigestingInputStream.skip reads, so skipped bytes are hashed too
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void check() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    DigestingInputStream d = (DigestingInputStream) in;
    Digest actual = d.digest();
    if (!actual.equals(expected)) {
      throw new CorruptBlobException(what, expected, actual);
    }
  }
}
