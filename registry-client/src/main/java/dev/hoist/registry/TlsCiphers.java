package dev.hoist.registry;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

/**
 * AES-GCM, the cipher of nearly every TLS connection to a registry, from the Amazon Corretto Crypto
 * Provider (AWS-LC, native code), installed before the first HTTPS connection. Only this cipher:
 * every other algorithm stays the JDK's.
 *
 * <p>Why: the JDK's AES-GCM is fast only once C2 has compiled it with its intrinsics, and hoist's
 * commands run with the C1 compiler alone (see the launcher), where decrypting is pure Java. A 200
 * MB pull over TLS took 13.9 s (skopeo: 1.0 s); with C2 allowed, 2.5 s; with this cipher, 1.7 s,
 * and its decryption is ~2% of the CPU. Where the provider cannot load (another architecture, no
 * native library), JSSE keeps its own, and nothing else changes.
 */
final class TlsCiphers {
  static final String AES_GCM = "AES/GCM/NoPadding";
  static final String PROVIDER = "HoistTlsCiphers";

  private static boolean tried;

  private TlsCiphers() {}

  /** Puts the native AES-GCM first for this JVM, once; returns whether it is installed. */
  static synchronized boolean install() {
    if (!tried) {
      tried = true;
      try {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Provider.Service gcm = accp.getService("Cipher", AES_GCM);
        if (accp.getLoadingError() == null && gcm != null) {
          Security.insertProviderAt(new AesGcmOnly(gcm), 1);
        }
      } catch (LinkageError | RuntimeException e) {
        // JSSE's own AES-GCM, as without this class
      }
    }
    return Security.getProvider(PROVIDER) != null;
  }

  /** A provider of one service, ACCP's AES-GCM: the rest of ACCP never takes precedence. */
  private static final class AesGcmOnly extends Provider {
    private static final long serialVersionUID = 1L;

    AesGcmOnly(Provider.Service gcm) {
      super(PROVIDER, "1", "AES-GCM of " + gcm.getProvider().getName());
      putService(
          new Provider.Service(this, "Cipher", AES_GCM, gcm.getClassName(), List.of(), Map.of()) {
            @Override
            public Object newInstance(Object parameter)
                throws java.security.NoSuchAlgorithmException {
              return gcm.newInstance(parameter);
            }

            @Override
            public boolean supportsParameter(Object parameter) {
              return gcm.supportsParameter(parameter);
            }
          });
    }
  }
}
