package dev.hoist.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.hoist.image.Descriptor;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Network faults, request by request: cuts, short bodies, 5xx, 429, bad digests, redirects. */
class FaultsTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10));

  @TempDir Path tmp;
  WireMockServer wm;

  @BeforeEach
  void start() {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private RegistryClient client(String registry, String baseUrl, CredentialProvider creds) {
    return RegistryClient.builder()
        .endpoint(registry, baseUrl)
        .credentials(creds)
        .retry(FAST)
        .build();
  }

  private RegistryClient client() {
    return client("registry.test", wm.baseUrl(), CredentialProvider.ANONYMOUS);
  }

  private static final Reference REPO = Reference.parse("registry.test/team/app:1");

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void pullBlob_resumesWithRangeAfterTheBodyIsCutShort(boolean reset) throws IOException {
    byte[] blob = TestImages.random(7, 100_000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    try (RawHttpServer raw =
            new RawHttpServer(
                head -> {
                  if (head.contains("Range: bytes=40000-")) {
                    byte[] rest = Arrays.copyOfRange(blob, 40_000, blob.length);
                    return new RawHttpServer.Reply(
                        RawHttpServer.response(
                            "206 Partial Content",
                            List.of(
                                "Content-Length: " + rest.length,
                                "Content-Range: bytes 40000-99999/100000"),
                            rest,
                            rest.length),
                        false);
                  }
                  // announces every byte, sends 40%, then closes (reset: RST; else a clean FIN)
                  return new RawHttpServer.Reply(
                      RawHttpServer.response(
                          "200 OK", List.of("Content-Length: " + blob.length), blob, 40_000),
                      reset);
                });
        RegistryClient c =
            client(
                "registry.test", "http://127.0.0.1:" + raw.port(), CredentialProvider.ANONYMOUS)) {
      TestBlobStore store = new TestBlobStore(tmp);
      long fetched = c.pullBlob(REPO, d, store, TransferListener.NONE);
      assertArrayEquals(blob, store.read(d.digest()));
      assertEquals(2, raw.requests().size(), raw.requests().toString());
      assertFalse(raw.requests().get(0).contains("Range:"));
      assertTrue(raw.requests().get(1).contains("Range: bytes=40000-"));
      assertEquals(blob.length, fetched);
    }
  }

  @Test
  void pullBlob_timesOutWhenTheBodyStopsComing() throws IOException {
    byte[] blob = TestImages.random(8, 100_000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    try (RawHttpServer raw =
            new RawHttpServer(
                head ->
                    new RawHttpServer.Reply(
                        RawHttpServer.response(
                            "200 OK", List.of("Content-Length: " + blob.length), blob, 30_000),
                        false,
                        true));
        RegistryClient c =
            RegistryClient.builder()
                .endpoint("registry.test", "http://127.0.0.1:" + raw.port())
                .retry(FAST)
                .timeout(Duration.ofMillis(300))
                .build()) {
      TestBlobStore store = new TestBlobStore(tmp);
      IOException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () ->
                  assertThrows(
                      IOException.class, () -> c.pullBlob(REPO, d, store, TransferListener.NONE)));
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      assertFalse(store.contains(d.digest()));
    }
  }

  @Test
  void fetchManifest_retriesA500ThenSucceeds() throws IOException {
    byte[] manifest = manifestBytes();
    wm.stubFor(
        get("/v2/team/app/manifests/1")
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(aResponse().withStatus(500)));
    wm.stubFor(
        get("/v2/team/app/manifests/1")
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withBody(manifest)));
    try (RegistryClient c = client()) {
      assertArrayEquals(manifest, c.fetchManifest(REPO).raw());
    }
    wm.verify(
        2,
        getRequestedFor(urlPathEqualTo("/v2/team/app/manifests/1"))
            .withHeader("Accept", equalTo(ManifestPuller.ACCEPT)));
  }

  @Test
  void fetchManifest_waitsAsLongAs429sRetryAfterSays() throws IOException {
    byte[] manifest = manifestBytes();
    wm.stubFor(
        get("/v2/team/app/manifests/1")
            .inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
    wm.stubFor(
        get("/v2/team/app/manifests/1")
            .inScenario("limited")
            .whenScenarioStateIs("ok")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withBody(manifest)));
    long t0 = System.nanoTime();
    try (RegistryClient c = client()) {
      assertArrayEquals(manifest, c.fetchManifest(REPO).raw());
    }
    assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "waited the Retry-After second");
  }

  @Test
  void fetchManifest_reportsRateLimitHeadersWhenRetryAfterExceedsTheBudget() throws IOException {
    wm.stubFor(
        get("/v2/team/app/manifests/1")
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "3600")
                    .withHeader("ratelimit-limit", "100;w=21600")
                    .withHeader("ratelimit-remaining", "0;w=21600")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit.\"}]}")));
    try (RegistryClient c = client()) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.fetchManifest(REPO));
      assertEquals(List.of("TOOMANYREQUESTS"), e.codes());
      assertTrue(e.getMessage().contains("ratelimit-remaining 0;w=21600"), e.getMessage());
      assertTrue(e.retryable());
      assertFalse(e.getMessage().contains("\n"));
    }
    wm.verify(1, getRequestedFor(urlPathEqualTo("/v2/team/app/manifests/1")));
  }

  @Test
  void pullBlob_refusesBytesThatDoNotMatchTheDigestAndStoresNothing() throws IOException {
    byte[] blob = TestImages.random(8, 5000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    byte[] evil = blob.clone();
    evil[100] ^= 1;
    wm.stubFor(
        get("/v2/team/app/blobs/" + d.digest())
            .willReturn(aResponse().withStatus(200).withBody(evil)));
    TestBlobStore store = new TestBlobStore(tmp);
    try (RegistryClient c = client()) {
      DigestMismatchException e =
          assertThrows(
              DigestMismatchException.class,
              () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
      assertEquals(d.digest(), e.expected());
    }
    assertEquals(0, store.count());
  }

  @Test
  void pullBlob_followsARedirectToAnotherHostWithoutTheRegistrysAuthorization() throws IOException {
    byte[] blob = TestImages.random(9, 3000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    WireMockServer storage =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    storage.start();
    try {
      storage.stubFor(get(urlPathEqualTo("/bucket/blob")).willReturn(aResponse().withBody(blob)));
      wm.stubFor(
          get(urlPathEqualTo("/token"))
              .willReturn(
                  aResponse()
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"token\":\"T0KEN\"}")));
      wm.stubFor(
          get("/v2/team/app/blobs/" + d.digest())
              .withHeader("Authorization", absent())
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader(
                          "WWW-Authenticate",
                          "Bearer realm=\""
                              + wm.baseUrl()
                              + "/token\",service=\"registry.test\"")));
      wm.stubFor(
          get("/v2/team/app/blobs/" + d.digest())
              .withHeader("Authorization", equalTo("Bearer T0KEN"))
              .willReturn(
                  aResponse()
                      .withStatus(307)
                      .withHeader("Location", storage.baseUrl() + "/bucket/blob?sig=abc")));
      TestBlobStore store = new TestBlobStore(tmp);
      try (RegistryClient c =
          client(
              "registry.test",
              wm.baseUrl(),
              CredentialProvider.of(Credential.password("u", "p")))) {
        c.pullBlob(REPO, d, store, TransferListener.NONE);
      }
      assertArrayEquals(blob, store.read(d.digest()));
      storage.verify(
          1,
          getRequestedFor(urlPathEqualTo("/bucket/blob"))
              .withQueryParam("sig", equalTo("abc"))
              .withHeader("Authorization", absent()));
      wm.verify(
          getRequestedFor(urlPathEqualTo("/token"))
              .withQueryParam("service", equalTo("registry.test"))
              .withQueryParam("scope", equalTo("repository:team/app:pull"))
              .withHeader("Authorization", equalTo("Basic dTpw")));
    } finally {
      storage.stop();
    }
  }

  @Test
  void anUnreachableRegistryGivesOneClearLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (RegistryClient c =
        client("registry.test", "http://127.0.0.1:" + port, CredentialProvider.ANONYMOUS)) {
      RegistryException e = assertThrows(RegistryException.class, () -> c.fetchManifest(REPO));
      assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
      assertTrue(e.status().isEmpty());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  private static byte[] manifestBytes() {
    return Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(
                MediaTypes.OCI_CONFIG, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            List.of())
        .raw();
  }
}
