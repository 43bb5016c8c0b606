package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The native AES-GCM against the JDK's, in both directions, as JSSE calls it. */
class TlsCiphersTest {
  private static final Random RANDOM = new Random(42);

  @BeforeAll
  static void install() {
    assertTrue(TlsCiphers.install(), "ACCP's native library did not load (Debian x86-64 expected)");
  }

  @Test
  void aesGcm_comesFromTheNativeProvider() throws Exception {
    assertEquals(
        TlsCiphers.PROVIDER, Cipher.getInstance(TlsCiphers.AES_GCM).getProvider().getName());
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 32})
  void nativeDecryptsWhatTheJdkEncrypted_andBack(int keyBytes) throws Exception {
    SecretKeySpec key = new SecretKeySpec(bytes(keyBytes), "AES");
    GCMParameterSpec iv = new GCMParameterSpec(128, bytes(12));
    byte[] aad = bytes(13); // a TLS record header
    byte[] plain = bytes(16 * 1024 + 7);

    Cipher jdk = Cipher.getInstance(TlsCiphers.AES_GCM, "SunJCE");
    jdk.init(Cipher.ENCRYPT_MODE, key, iv);
    jdk.updateAAD(aad);
    byte[] sealed = jdk.doFinal(plain);

    // ByteBuffers, direct ones, as JSSE's SSLEngine hands them over
    Cipher ours = Cipher.getInstance(TlsCiphers.AES_GCM);
    ours.init(Cipher.DECRYPT_MODE, key, iv);
    ours.updateAAD(aad);
    ByteBuffer in = ByteBuffer.allocateDirect(sealed.length).put(sealed).flip();
    ByteBuffer out = ByteBuffer.allocateDirect(plain.length);
    ours.doFinal(in, out);
    byte[] opened = new byte[plain.length];
    out.flip().get(opened);
    assertArrayEquals(plain, opened);

    GCMParameterSpec iv2 = new GCMParameterSpec(128, bytes(12));
    ours.init(Cipher.ENCRYPT_MODE, key, iv2);
    ours.updateAAD(aad);
    byte[] sealed2 = ours.doFinal(plain);
    jdk.init(Cipher.DECRYPT_MODE, key, iv2);
    jdk.updateAAD(aad);
    assertArrayEquals(plain, jdk.doFinal(sealed2));
  }

  @Test
  void aTamperedRecordIsRefused() throws Exception {
    SecretKeySpec key = new SecretKeySpec(bytes(16), "AES");
    GCMParameterSpec iv = new GCMParameterSpec(128, bytes(12));
    Cipher jdk = Cipher.getInstance(TlsCiphers.AES_GCM, "SunJCE");
    jdk.init(Cipher.ENCRYPT_MODE, key, iv);
    byte[] sealed = jdk.doFinal(bytes(1000));
    sealed[500] ^= 1;
    Cipher ours = Cipher.getInstance(TlsCiphers.AES_GCM);
    ours.init(Cipher.DECRYPT_MODE, key, iv);
    assertThrows(AEADBadTagException.class, () -> ours.doFinal(sealed));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
