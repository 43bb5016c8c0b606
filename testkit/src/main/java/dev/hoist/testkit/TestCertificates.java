package dev.hoist.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in a test with bouncycastle: a CA, server certificates for {@code 127.0.0.1}
 * and {@code localhost} that it signs, and PEM files of them. Keys are RSA 2048.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate and the key pair it certifies. */
  public record Issued(X509Certificate certificate, KeyPair keyPair) {
    /** Writes the certificate as PEM to {@code file} and returns the file. */
    public Path writeCertificate(Path file) {
      return write(file, pem(certificate));
    }

    /** Writes the private key as PEM (PKCS#8 via bouncycastle) to {@code file}. */
    public Path writeKey(Path file) {
      return write(file, pem(keyPair.getPrivate()));
    }
  }

  /** A fresh RSA key pair. */
  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make RSA keys", e);
    }
  }

  /** A self-signed CA certificate named {@code CN=name}, valid for a day. */
  public static Issued certificateAuthority(String name) {
    KeyPair keys = rsaKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = builder(subject, subject, keys);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(b, keys), keys);
  }

  /**
   * A certificate for a TLS server at {@code 127.0.0.1} and {@code localhost}, signed by {@code
   * ca}.
   */
  public static Issued serverCertificate(Issued ca) {
    KeyPair keys = rsaKeyPair();
    X509v3CertificateBuilder b =
        builder(
            new X500Name(ca.certificate().getSubjectX500Principal().getName()),
            new X500Name("CN=127.0.0.1"),
            keys);
    try {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(b, ca.keyPair()), keys);
  }

  /** A client certificate ({@code CN=name}, no extensions) signed by {@code ca}, for mutual TLS. */
  public static Issued clientCertificate(Issued ca, String name) {
    KeyPair keys = rsaKeyPair();
    X509v3CertificateBuilder b =
        builder(
            new X500Name(ca.certificate().getSubjectX500Principal().getName()),
            new X500Name("CN=" + name),
            keys);
    return new Issued(sign(b, ca.keyPair()), keys);
  }

  /**
   * A self-signed certificate without extensions for a token signing key: distribution trusts the
   * token when this certificate is in its {@code rootcertbundle}.
   */
  public static Issued signingCertificate(String name) {
    KeyPair keys = rsaKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    return new Issued(sign(builder(subject, subject, keys), keys), keys);
  }

  /** The PEM text of a certificate or key. */
  public static String pem(Object certificateOrKey) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(certificateOrKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(b.build(s));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
