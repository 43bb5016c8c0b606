package dev.hoist.registry;

import dev.hoist.image.Digest;
import java.security.MessageDigest;

/**
 * Gets the JIT to compile SHA-256 before the first blob's bytes arrive. The JDK hashes with a CPU
 * intrinsic only from C2-compiled callers; a transfer's first 64 KiB updates are too few calls for
 * C2 to pick {@code DigestBase.engineUpdate} up soon, so the first tens of MB of every push and
 * pull were hashed by interpreted and C1 code at a fraction of the speed (the largest CPU cost in a
 * JFR profile of a 200 MB push or pull). A few thousand tiny updates on a daemon thread, while the
 * client resolves the manifest and opens uploads, trigger that compilation; they cost tens of ms of
 * CPU on one background thread, against hundreds of ms saved per 100 MB hashed.
 */
final class DigestWarmup {
  private static final int UPDATES = 20_000;
  private static final int[] SIZES = {64, 1, 63, 128, 100, 28, 192};
  private static volatile boolean started;

  private DigestWarmup() {}

  /** Starts the warm-up once per JVM, in the background. */
  static void start() {
    if (started) {
      return;
    }
    synchronized (DigestWarmup.class) {
      if (started) {
        return;
      }
      started = true;
    }
    Thread t = new Thread(DigestWarmup::run, "hoist-digest-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void run() {
    MessageDigest md = Digest.newMessageDigest(Digest.SHA256);
    if (md.getProvider() == null || !md.getProvider().getName().equals("SUN")) {
      return; // a native SHA-256 (the CLI's OpenSSL one) is fast without the JIT
    }
    byte[] block = new byte[256];
    for (int i = 0; i < UPDATES; i++) {
      // Every branch of DigestBase.engineUpdate a transfer takes (a partial block buffered, a
      // buffered block completed, whole blocks, a remainder): warmed with whole blocks only, the
      // C2 code hit an untaken branch at the first real read and was thrown away (a measured
      // deoptimization), and hashing fell back to slow code until the next compilation.
      md.update(block, 0, SIZES[i % SIZES.length]);
    }
    md.digest();
  }
}
