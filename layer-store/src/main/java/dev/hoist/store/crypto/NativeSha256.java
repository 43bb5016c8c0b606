package dev.hoist.store.crypto;

import java.security.MessageDigest;

/**
 * SHA-256 computed by the system's OpenSSL. Small updates (tar headers, JSON) are gathered in a
 * Java buffer so that a native call always carries a large block (a copy costs far less than a
 * call).
 */
final class NativeSha256 extends MessageDigest implements Cloneable {
  private static final int CONTEXT_SIZE = 128; // OpenSSL's SHA256_CTX is 112 bytes
  private static final int BUFFER = 64 * 1024;

  private final LibCrypto crypto;
  private byte[] context = new byte[CONTEXT_SIZE];
  private byte[] buffer = new byte[BUFFER];
  private int buffered;

  NativeSha256(LibCrypto crypto) {
    super("SHA-256");
    this.crypto = crypto;
    engineReset();
  }

  @Override
  protected void engineUpdate(byte input) {
    if (buffered == BUFFER) {
      flush();
    }
    buffer[buffered++] = input;
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    int done = 0;
    while (done < length) {
      if (buffered == BUFFER) {
        flush();
      }
      int n = Math.min(length - done, BUFFER - buffered);
      System.arraycopy(input, offset + done, buffer, buffered, n);
      buffered += n;
      done += n;
    }
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected byte[] engineDigest() {
    flush();
    byte[] out = new byte[32];
    check(crypto.SHA256_Final(out, context), "SHA256_Final");
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    buffered = 0;
    check(crypto.SHA256_Init(context), "SHA256_Init");
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    NativeSha256 copy = (NativeSha256) super.clone();
    copy.context = context.clone();
    copy.buffer = buffer.clone();
    return copy;
  }

  private void flush() {
    if (buffered > 0) {
      check(crypto.SHA256_Update(context, buffer, buffered), "SHA256_Update");
      buffered = 0;
    }
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException("libcrypto's " + call + " failed");
    }
  }
}
