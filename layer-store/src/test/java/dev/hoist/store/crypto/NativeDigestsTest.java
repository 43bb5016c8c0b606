package dev.hoist.store.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Digest;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeDigestsTest {
  @Test
  void install_makesDigestsNative_onDebian() {
    assertTrue(NativeDigests.library().isPresent(), "no libcrypto.so.3 (Debian's libssl3)");
    assertTrue(NativeDigests.install());
    assertInstanceOf(NativeSha256.class, Digest.newMessageDigest(Digest.SHA256));
    assertFalse(Digest.newMessageDigest(Digest.SHA512) instanceof NativeSha256);
  }

  /** Update sizes around the 64 KiB buffer, one byte at a time, and none. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 64, 65, 65535, 65536, 65537, 200_000, 1 << 20})
  void digest_isTheJdks_forEveryUpdatePattern(int size) throws Exception {
    NativeDigests.install();
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256", "SUN");
    MessageDigest ours = Digest.newMessageDigest(Digest.SHA256);
    assertInstanceOf(NativeSha256.class, ours);
    int pos = 0;
    Random chunks = new Random(7);
    while (pos < size) {
      int n = Math.min(size - pos, chunks.nextInt(3) == 0 ? 1 : chunks.nextInt(100_000) + 1);
      if (n == 1) {
        ours.update(data[pos]);
      } else {
        ours.update(data, pos, n);
      }
      pos += n;
    }
    byte[] expected = jdk.digest(data);
    assertArrayEquals(expected, ours.digest());
    // digest() resets: the same data again gives the same digest
    assertArrayEquals(expected, ours.digest(data));
  }

  @Test
  void clone_continuesIndependently() throws Exception {
    NativeDigests.install();
    byte[] a = new byte[100_000];
    byte[] b = new byte[70_000];
    new Random(1).nextBytes(a);
    new Random(2).nextBytes(b);
    MessageDigest ours = Digest.newMessageDigest(Digest.SHA256);
    assertInstanceOf(NativeSha256.class, ours);
    ours.update(a);
    MessageDigest copy = (MessageDigest) ours.clone();
    copy.update(b);
    MessageDigest jdk = MessageDigest.getInstance("SHA-256", "SUN");
    assertArrayEquals(jdk.digest(a), ours.digest());
    jdk.update(a);
    jdk.update(b);
    assertArrayEquals(jdk.digest(), copy.digest());
  }
}
