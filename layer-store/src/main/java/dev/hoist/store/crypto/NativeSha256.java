package dev.hoist.store.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * SHA-256 computed by the system's OpenSSL. Updates are gathered in a 64 KiB buffer of native
 * memory (a direct buffer), so that a native call always carries a large block and passes only
 * addresses: with Java arrays, jnr copied every block into native memory and the context in and out
 * around each call (a copy of every byte hashed, ~10% of the hashing's CPU in a pull).
 */
final class NativeSha256 extends MessageDigest implements Cloneable {
  private static final int CONTEXT_SIZE = 128; // OpenSSL's SHA256_CTX is 112 bytes
  private static final int BUFFER = 64 * 1024;

  private final LibCrypto crypto;
  private final Runtime runtime;
  private ByteBuffer context;
  private Pointer contextAddress;
  private ByteBuffer buffer;
  private Pointer bufferAddress;

  NativeSha256(LibCrypto crypto) {
    super("SHA-256");
    this.crypto = crypto;
    this.runtime = Runtime.getRuntime(crypto);
    allocate();
    engineReset();
  }

  private void allocate() {
    context = ByteBuffer.allocateDirect(CONTEXT_SIZE);
    contextAddress = Pointer.wrap(runtime, context);
    buffer = ByteBuffer.allocateDirect(BUFFER);
    bufferAddress = Pointer.wrap(runtime, buffer);
  }

  @Override
  protected void engineUpdate(byte input) {
    if (!buffer.hasRemaining()) {
      flush();
    }
    buffer.put(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    int done = 0;
    while (done < length) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int n = Math.min(length - done, buffer.remaining());
      buffer.put(input, offset + done, n);
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
    check(crypto.SHA256_Final(bufferAddress, contextAddress), "SHA256_Final");
    byte[] out = new byte[32];
    buffer.get(0, out);
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    buffer.clear();
    check(crypto.SHA256_Init(contextAddress), "SHA256_Init");
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    NativeSha256 copy = (NativeSha256) super.clone();
    copy.allocate();
    copy.context.put(context.duplicate().clear());
    copy.buffer.put(buffer.duplicate().flip());
    return copy;
  }

  private void flush() {
    if (buffer.position() > 0) {
      check(
          crypto.SHA256_Update(contextAddress, bufferAddress, buffer.position()), "SHA256_Update");
      buffer.clear();
    }
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException("libcrypto's " + call + " failed");
    }
  }
}
