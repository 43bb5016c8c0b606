package dev.hoist.registry;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS material for one registry host as Docker reads it from {@code certs.d/HOST[:PORT]/}: every
 * {@code *.crt} is a CA trusted on top of the system's, and a {@code NAME.cert} with {@code
 * NAME.key} is a client certificate. PEM is read with bouncycastle.
 */
final class TlsFiles {
  private TlsFiles() {}

  /** The TLS set-up for {@code host} ({@code host} or {@code host:port}), if any file names it. */
  static Optional<Tls> forHost(List<Path> certsDirs, String host) throws IOException {
    List<X509Certificate> cas = new ArrayList<>();
    Optional<KeyManager[]> client = Optional.empty();
    for (Path root : certsDirs) {
      Path dir = root.resolve(host);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          if (name.endsWith(".crt")) {
            cas.addAll(certificates(f));
          } else if (name.endsWith(".cert") && client.isEmpty()) {
            Path key = dir.resolve(name.substring(0, name.length() - 5) + ".key");
            if (!Files.exists(key)) {
              throw new IOException(
                  "client certificate "
                      + f
                      + " has no matching key "
                      + key
                      + "; add it or remove"
                      + " the certificate");
            }
            client = Optional.of(keyManagers(certificates(f), privateKey(key), f));
          }
        }
      }
    }
    if (cas.isEmpty() && client.isEmpty()) {
      return Optional.empty();
    }
    try {
      X509TrustManager trust = trustManager(cas);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(client.orElse(null), new TrustManager[] {trust}, new SecureRandom());
      return Optional.of(new Tls(ctx, trust));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for " + host + ": " + e.getMessage(), e);
    }
  }

  /** Trusts everything: for {@code --tls-verify=false} and insecure registries. */
  static Tls trustAll() {
    X509TrustManager all =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {all}, new SecureRandom());
      return new Tls(ctx, all);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS", e);
    }
  }

  /** An SSL context with the trust manager it was made from (okhttp needs both). */
  record Tls(SSLContext context, X509TrustManager trustManager) {}

  private static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file);
        PEMParser p = new PEMParser(r)) {
      Object o;
      while ((o = p.readObject()) != null) {
        if (o instanceof X509CertificateHolder h) {
          out.add(new JcaX509CertificateConverter().getCertificate(h));
        }
      }
    } catch (CertificateException e) {
      throw new IOException("cannot read certificate " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException(
          "no PEM certificate in " + file + "; expected -----BEGIN CERTIFICATE-----");
    }
    return out;
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) {
        return conv.getKeyPair(kp).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      throw new IOException("no unencrypted PEM private key in " + file);
    }
  }

  private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key, Path file)
      throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, new char[0], chain.toArray(new X509Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      return kmf.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use client certificate " + file + ": " + e.getMessage(), e);
    }
  }

  /** The system's trust plus {@code extra} CAs. */
  private static X509TrustManager trustManager(List<X509Certificate> extra)
      throws GeneralSecurityException, IOException {
    X509TrustManager system = defaultTrust(null);
    if (extra.isEmpty()) {
      return system;
    }
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (X509Certificate c : extra) {
      ks.setCertificateEntry("ca" + i++, c);
    }
    X509TrustManager custom = defaultTrust(ks);
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        system.checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        try {
          custom.checkServerTrusted(chain, authType);
        } catch (CertificateException notOurs) {
          system.checkServerTrusted(chain, authType);
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> all = new ArrayList<>(List.of(system.getAcceptedIssuers()));
        all.addAll(extra);
        return all.toArray(new X509Certificate[0]);
      }
    };
  }

  private static X509TrustManager defaultTrust(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager in the JDK");
  }
}
