package dev.hoist.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Finds out whether a port speaks TLS without starting the JDK's TLS stack (whose first use costs a
 * large part of a second): sends a fixed TLS ClientHello and looks at the first byte of the answer,
 * a TLS record type (handshake or alert) or the {@code H} of a plain HTTP error. Used only for
 * registries that may be plain HTTP (loopback and insecure ones), as Docker tries HTTPS first.
 */
final class TlsProbe {
  private TlsProbe() {}

  /**
   * True for TLS, false for plain HTTP, empty when the answer says neither (or nothing listens). No
   * answer at all within the timeout also means plain HTTP: a TLS server answers a ClientHello at
   * once (a ServerHello or an alert), while some HTTP servers (the JDK's own) wait for the rest of
   * a request line that never comes; taken for "unknown", that sent okhttp into a TLS handshake
   * which waited out the whole read timeout.
   */
  static Optional<Boolean> speaksTls(String host, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write(clientHello());
      out.flush();
      InputStream in = s.getInputStream();
      int first;
      try {
        first = in.read();
      } catch (SocketTimeoutException silent) {
        return Optional.of(false);
      }
      if (first >= 0x14 && first <= 0x17) {
        return Optional.of(true);
      }
      if (first == 'H') {
        return Optional.of(false);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A minimal TLS 1.2 ClientHello: any TLS server answers it with a ServerHello or an alert. */
  static byte[] clientHello() {
    byte[] suites = {0x13, 0x01, (byte) 0xc0, 0x2f, (byte) 0xc0, 0x30, 0x00, (byte) 0x9c};
    byte[] extensions = {
      // supported_groups: x25519, secp256r1
      0x00,
      0x0a,
      0x00,
      0x06,
      0x00,
      0x04,
      0x00,
      0x1d,
      0x00,
      0x17,
      // ec_point_formats: uncompressed
      0x00,
      0x0b,
      0x00,
      0x02,
      0x01,
      0x00,
      // signature_algorithms: rsa_pss_rsae_sha256, rsa_pkcs1_sha256, ecdsa_secp256r1_sha256
      0x00,
      0x0d,
      0x00,
      0x08,
      0x00,
      0x06,
      0x08,
      0x04,
      0x04,
      0x01,
      0x04,
      0x03
    };
    int bodyLength = 2 + 32 + 1 + 2 + suites.length + 2 + 2 + extensions.length;
    ByteBuffer b = ByteBuffer.allocate(5 + 4 + bodyLength);
    b.put((byte) 0x16).put((byte) 0x03).put((byte) 0x01).putShort((short) (4 + bodyLength));
    b.put((byte) 0x01).put((byte) 0).putShort((short) bodyLength);
    b.put((byte) 0x03).put((byte) 0x03);
    b.put(new byte[32]); // random: any value does for a probe
    b.put((byte) 0); // no session id
    b.putShort((short) suites.length).put(suites);
    b.put((byte) 1).put((byte) 0); // null compression
    b.putShort((short) extensions.length).put(extensions);
    return b.array();
  }
}
