package dev.hoist.builder.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * One private key an agent of hoist's own holds: its public blob in SSH wire form, and signatures
 * as {@code ssh-agent} makes them (Ed25519, RSA with SHA-1/256/512, ECDSA on the NIST curves).
 */
final class SshKey {
  /** {@code SSH_AGENT_RSA_SHA2_256} and {@code _512}: the sign request's flags for RSA. */
  private static final int RSA_SHA2_256 = 2;

  private static final int RSA_SHA2_512 = 4;

  private final AsymmetricKeyParameter key;
  private final byte[] publicBlob;
  private final String comment;

  private SshKey(AsymmetricKeyParameter key, byte[] publicBlob, String comment) {
    this.key = key;
    this.publicBlob = publicBlob;
    this.comment = comment;
  }

  /**
   * Reads an OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM private key file.
   *
   * @throws IOException when it is unreadable, encrypted or of a kind an agent cannot serve
   */
  static SshKey read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    AsymmetricKeyParameter key;
    try {
      if (text.contains("BEGIN OPENSSH PRIVATE KEY")) {
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(Base64.getDecoder().decode(body));
      } else {
        Object pem = new PEMParser(new StringReader(text)).readObject();
        if (pem instanceof PEMKeyPair pair) {
          key = PrivateKeyFactory.createKey(pair.getPrivateKeyInfo());
        } else if (pem instanceof PrivateKeyInfo info) {
          key = PrivateKeyFactory.createKey(info);
        } else {
          throw new IOException("not an unencrypted private key");
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(
          "not an unencrypted OpenSSH or PEM private key (" + e.getMessage() + ")", e);
    }
    return new SshKey(key, OpenSSHPublicKeyUtil.encodePublicKey(publicOf(key)), file.toString());
  }

  private static AsymmetricKeyParameter publicOf(AsymmetricKeyParameter key) throws IOException {
    if (key instanceof Ed25519PrivateKeyParameters ed) {
      return ed.generatePublicKey();
    }
    if (key instanceof RSAPrivateCrtKeyParameters rsa) {
      return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    }
    if (key instanceof ECPrivateKeyParameters ec) {
      return new ECPublicKeyParameters(
          ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
    }
    throw new IOException("keys of type " + key.getClass().getSimpleName() + " are not supported");
  }

  byte[] publicBlob() {
    return publicBlob.clone();
  }

  String comment() {
    return comment;
  }

  /** The signature of {@code data}: {@code string algorithm, string signature}. */
  byte[] sign(byte[] data, int flags) throws IOException {
    try {
      if (key instanceof Ed25519PrivateKeyParameters) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(data, 0, data.length);
        return signature("ssh-ed25519", signer.generateSignature());
      }
      if (key instanceof RSAPrivateCrtKeyParameters) {
        boolean sha512 = (flags & RSA_SHA2_512) != 0;
        boolean sha256 = !sha512 && (flags & RSA_SHA2_256) != 0;
        Digest digest =
            sha512 ? new SHA512Digest() : sha256 ? new SHA256Digest() : new SHA1Digest();
        RSADigestSigner signer = new RSADigestSigner(digest);
        signer.init(true, key);
        signer.update(data, 0, data.length);
        String algorithm = sha512 ? "rsa-sha2-512" : sha256 ? "rsa-sha2-256" : "ssh-rsa";
        return signature(algorithm, signer.generateSignature());
      }
      ECPrivateKeyParameters ec = (ECPrivateKeyParameters) key;
      int bits = ec.getParameters().getCurve().getFieldSize();
      Digest digest =
          bits <= 256 ? new SHA256Digest() : bits <= 384 ? new SHA384Digest() : new SHA512Digest();
      byte[] hash = new byte[digest.getDigestSize()];
      digest.update(data, 0, data.length);
      digest.doFinal(hash, 0);
      ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digest));
      signer.init(true, ec);
      BigInteger[] rs = signer.generateSignature(hash);
      WireWriter inner = new WireWriter();
      inner.mpint(rs[0]);
      inner.mpint(rs[1]);
      String curve = bits <= 256 ? "nistp256" : bits <= 384 ? "nistp384" : "nistp521";
      return signature("ecdsa-sha2-" + curve, inner.bytes());
    } catch (CryptoException e) {
      throw new IOException("signing with " + comment + " failed: " + e.getMessage(), e);
    }
  }

  private static byte[] signature(String algorithm, byte[] sig) {
    WireWriter w = new WireWriter();
    w.string(algorithm.getBytes(StandardCharsets.US_ASCII));
    w.string(sig);
    return w.bytes();
  }

  /** SSH wire encoding (RFC 4251): uint32, string, mpint. */
  static final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void uint32(long v) {
      out.write((int) (v >>> 24));
      out.write((int) (v >>> 16));
      out.write((int) (v >>> 8));
      out.write((int) v);
    }

    void string(byte[] b) {
      uint32(b.length);
      out.writeBytes(b);
    }

    void mpint(BigInteger v) {
      string(v.signum() == 0 ? new byte[0] : v.toByteArray());
    }

    void byte1(int b) {
      out.write(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
