package dev.hoist.store.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * SHA-256 computed by the system's OpenSSL. Updates are gathered in a 64 KiB buffer of native
 * memory (a direct buffer), so that a native call always carries a large block and passes only
 * addresses: with Java arrays, jnr copied every block into native memory and the context in and out
 * around each call (a copy of every byte hashed, ~10% of the hashing's CPU in a pull).
 *
 * <p>The native memory (context and buffer) is held only from the first update to {@link #digest}
 * or {@link #reset}, then handed to the next digest: direct buffers are freed only when the heap is
 * collected, and a COPY of 20,000 small files, one digest each, reached 480 MB of RSS with a block
 * per digest (170 MB before, and again now).
 */
final class NativeSha256 extends MessageDigest implements Cloneable {
  private static final int CONTEXT_SIZE = 128; // OpenSSL's SHA256_CTX is 112 bytes
  private static final int BUFFER = 64 * 1024;
  private static final BlockingQueue<Block> FREE = new ArrayBlockingQueue<>(16);

  private final LibCrypto crypto;
  private final Runtime runtime;
  private Block block; // from the first update to digest() or reset()

  NativeSha256(LibCrypto crypto) {
    super("SHA-256");
    this.crypto = crypto;
    this.runtime = Runtime.getRuntime(crypto);
  }

  /** A context and an input buffer in native memory, with their addresses. */
  private static final class Block {
    final ByteBuffer context = ByteBuffer.allocateDirect(CONTEXT_SIZE);
    final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    final Pointer contextAddress;
    final Pointer bufferAddress;

    Block(Runtime runtime) {
      contextAddress = Pointer.wrap(runtime, context);
      bufferAddress = Pointer.wrap(runtime, buffer);
    }
  }

  /** This digest's block, taken (and its context initialised) on first use. */
  private Block block() {
    if (block == null) {
      Block b = FREE.poll();
      block = b != null ? b : new Block(runtime);
      block.buffer.clear();
      check(crypto.SHA256_Init(block.contextAddress), "SHA256_Init");
    }
    return block;
  }

  private void release() {
    if (block != null) {
      FREE.offer(block); // dropped, for the collector, when enough wait
      block = null;
    }
  }

  @Override
  protected void engineUpdate(byte input) {
    Block b = block();
    if (!b.buffer.hasRemaining()) {
      flush(b);
    }
    b.buffer.put(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int length) {
    Block b = block();
    int done = 0;
    while (done < length) {
      if (!b.buffer.hasRemaining()) {
        flush(b);
      }
      int n = Math.min(length - done, b.buffer.remaining());
      b.buffer.put(input, offset + done, n);
      done += n;
    }
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }

  @Override
  protected byte[] engineDigest() {
    Block b = block();
    flush(b);
    check(crypto.SHA256_Final(b.bufferAddress, b.contextAddress), "SHA256_Final");
    byte[] out = new byte[32];
    b.buffer.get(0, out);
    release();
    return out;
  }

  @Override
  protected void engineReset() {
    release();
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    NativeSha256 copy = (NativeSha256) super.clone();
    copy.block = null;
    if (block != null) {
      Block b = copy.block();
      b.context.clear().put(block.context.duplicate().clear());
      b.buffer.put(block.buffer.duplicate().flip());
    }
    return copy;
  }

  private void flush(Block b) {
    if (b.buffer.position() > 0) {
      check(
          crypto.SHA256_Update(b.contextAddress, b.bufferAddress, b.buffer.position()),
          "SHA256_Update");
      b.buffer.clear();
    }
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException("libcrypto's " + call + " failed");
    }
  }
}
