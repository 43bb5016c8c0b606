package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Manifest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certs.d as Docker reads it: a CA per host, client certificates; and what fails without. */
class TlsTest {
  static LocalRegistry mutual;
  static LocalRegistry tls;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    mutual = LocalRegistry.builder().tlsWithClientCertificates().start();
    tls = LocalRegistry.builder().tls().start();
  }

  @AfterAll
  static void stop() {
    mutual.close();
    tls.close();
  }

  private static RegistryClient.Builder strict(List<Path> certsDirs) {
    return RegistryClient.builder()
        .certsDirs(certsDirs)
        .loopbackInsecure(false)
        .retry(RetryPolicy.NONE);
  }

  @Test
  void aClientCertificateInCertsDIsPresentedToARegistryThatDemandsOne() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 41, true, "amd64", 2000);
    Reference ref = Reference.parse(mutual.host() + "/mtls/app:1");
    try (RegistryClient c = strict(List.of(mutual.certsDir().orElseThrow())).build()) {
      c.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      assertArrayEquals(
          m.raw(), c.pull(ref, Platform.host(), dst, TransferListener.NONE).manifest().raw());
    }
    // the first HTTPS connection put the native AES-GCM in place (TlsCiphers)
    assertNotNull(java.security.Security.getProvider(TlsCiphers.PROVIDER));
  }

  @Test
  void withoutTheClientCertificateTheHandshakeFailsInOneLine() throws IOException {
    Path onlyCa = tmp.resolve("certs.d").resolve(mutual.host());
    Files.createDirectories(onlyCa);
    Files.copy(mutual.caCertificate().orElseThrow(), onlyCa.resolve("ca.crt"));
    try (RegistryClient c = strict(List.of(tmp.resolve("certs.d"))).build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> c.fetchManifest(Reference.parse(mutual.host() + "/mtls/none:1")));
      assertTrue(e.status().isEmpty(), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void anUnknownCaIsRefusedWithAHintWhereToPutIt() throws IOException {
    try (RegistryClient c = strict(List.of(tmp)).build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> c.fetchManifest(Reference.parse(tls.host() + "/x/y:1")));
      assertTrue(e.getMessage().contains("certs.d/" + tls.host() + "/ca.crt"), e.getMessage());
      assertFalse(e.retryable());
    }
  }

  @Test
  void tlsProbe_tellsTlsFromPlainHttpWithoutTheJdksTlsStack() throws IOException {
    assertEquals(Optional.of(true), TlsProbe.speaksTls("127.0.0.1", tls.port(), 2000));
    assertEquals(Optional.of(true), TlsProbe.speaksTls("127.0.0.1", mutual.port(), 2000));
    try (LocalRegistry plain = LocalRegistry.startPlain()) {
      assertEquals(Optional.of(false), TlsProbe.speaksTls("127.0.0.1", plain.port(), 2000));
      List<String> log = new java.util.ArrayList<>();
      try (RegistryClient c = RegistryClient.builder().log(log::add).build()) {
        assertFalse(c.headManifest(Reference.parse(plain.host() + "/a/b:1")).isPresent());
      }
      assertEquals(List.of("HEAD http://" + plain.host() + "/v2/a/b/manifests/1 -> 404"), log);
    }
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertEquals(Optional.empty(), TlsProbe.speaksTls("127.0.0.1", closed, 2000));
  }

  /** A server that reads what comes and never answers, as the JDK's HttpServer does. */
  @Test
  void tlsProbe_takesASilentServerForPlainHttp() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
      Thread reader =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  s.getInputStream().readAllBytes();
                } catch (IOException e) {
                  // the probe hung up: done
                }
              });
      reader.start();
      long start = System.nanoTime();
      assertEquals(Optional.of(false), TlsProbe.speaksTls("127.0.0.1", server.getLocalPort(), 300));
      assertTrue(System.nanoTime() - start < 5_000_000_000L, "the probe waited past its timeout");
      reader.join(5000);
    }
  }

  @Test
  void tlsVerifyFalseAcceptsAnyCertificate() throws IOException {
    try (RegistryClient c =
        RegistryClient.builder()
            .certsDirs(List.of(tmp))
            .loopbackInsecure(false)
            .tlsVerify(false)
            .build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () -> c.fetchManifest(Reference.parse(tls.host() + "/x/y:1")));
      // the handshake worked: the registry itself answered that there is no such image
      assertTrue(e.status().isPresent(), e.getMessage());
    }
  }
}
