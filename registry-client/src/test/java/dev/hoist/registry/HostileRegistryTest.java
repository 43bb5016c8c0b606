package dev.hoist.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A registry that attacks its client: oversized and endless manifests, documents that are not
 * manifests, lying digests, redirect loops, endless blobs, wrong Content-Lengths and a token
 * revoked halfway. Each is refused with one line, in bounded time, and stores nothing (FaultsTest
 * covers the honest faults: cuts, 5xx, 429, a blob whose bytes do not match).
 */
class HostileRegistryTest {
  private static final RetryPolicy FAST =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(10));
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Reference REPO = Reference.parse("registry.test/team/app:1");
  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final int MIB4 = 4 * 1024 * 1024;
  private static final String MANIFEST_PATH = "/v2/team/app/manifests/1";

  @TempDir Path tmp;
  WireMockServer wm;
  TestBlobStore store;

  @BeforeEach
  void start() throws IOException {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    store = new TestBlobStore(tmp);
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private static RegistryClient client(String baseUrl, CredentialProvider creds) {
    return RegistryClient.builder()
        .endpoint("registry.test", baseUrl)
        .credentials(creds)
        .retry(FAST)
        .build();
  }

  private RegistryClient client() {
    return client(wm.baseUrl(), CredentialProvider.ANONYMOUS);
  }

  /**
   * Runs {@code action}, which must fail within {@link #BOUND} with an exception of {@code type}
   * whose message is one line holding {@code fragment}; then the store must be empty.
   */
  private <T extends IOException> T refused(Class<T> type, String fragment, Executable action)
      throws IOException {
    T e = assertTimeoutPreemptively(BOUND, () -> assertThrows(type, action));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(0, store.count(), "nothing may be stored");
    return e;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Manifest manifest(long configSize) {
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(utf8("{}")), configSize);
    return Manifest.of(MediaTypes.OCI_MANIFEST, config, List.of());
  }

  private void serveManifest(String contentType, byte[] body) {
    wm.stubFor(
        get(MANIFEST_PATH)
            .willReturn(aResponse().withHeader("Content-Type", contentType).withBody(body)));
  }

  // --- 1. size limits ---

  @Test
  void pull_refusesAManifestThatAnnouncesMoreThan4MiBWithoutReadingIt() throws IOException {
    byte[] some = utf8("{\"schemaVersion\":2" + " ".repeat(1000));
    try (RawHttpServer raw =
            new RawHttpServer(
                head ->
                    new RawHttpServer.Reply(
                        RawHttpServer.response(
                            "200 OK",
                            List.of(
                                "Content-Type: " + MediaTypes.OCI_MANIFEST,
                                "Content-Length: " + (MIB4 + 1)),
                            some,
                            some.length),
                        false));
        RegistryClient c = client("http://127.0.0.1:" + raw.port(), CredentialProvider.ANONYMOUS)) {
      refused(
          IOException.class,
          "announces a manifest of 4194305 bytes, more than the 4 MiB",
          () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
    }
  }

  @Test
  void pull_stopsReadingAnEndlessManifestAfter4MiB() throws IOException {
    try (EndlessHttpServer endless =
            new EndlessHttpServer(List.of("Content-Type: " + MediaTypes.OCI_MANIFEST));
        RegistryClient c = client(endless.url(), CredentialProvider.ANONYMOUS)) {
      refused(
          IOException.class,
          "sent a manifest larger than the 4 MiB hoist accepts",
          () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
      // Loose: the server's count includes what sat in both kernel socket buffers (autotuned to
      // several MiB on loopback) when the client hung up. An unbounded read never ends.
      assertTrue(endless.written() < 16L * MIB4, "server wrote " + endless.written());
    }
  }

  @Test
  void pull_refusesAConfigOver4MiBBeforeFetchingIt() throws IOException {
    serveManifest(MediaTypes.OCI_MANIFEST, manifest(MIB4 + 1L).raw());
    try (RegistryClient c = client()) {
      refused(
          IOException.class,
          "names a config of 4194305 bytes",
          () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
    }
    wm.verify(0, getRequestedFor(urlPathMatching("/v2/team/app/blobs/.*")));
  }

  // --- 2. documents that are not manifests ---

  static Stream<Arguments> notManifests() {
    String schema1 =
        "{\"schemaVersion\":1,\"name\":\"team/app\",\"tag\":\"1\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[],\"history\":[],\"signatures\":[{\"protected\":\"e30\"}]}";
    String ociManifest = new String(manifest(2).raw(), StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of(
            "an HTML login page",
            "text/html; charset=utf-8",
            "<html><body>Please log in</body></html>",
            "answered with text/html, not an image manifest or index"),
        Arguments.of(
            "a signed schema 1 manifest",
            MediaTypes.DOCKER_MANIFEST_V1_SIGNED,
            schema1,
            "only has a Docker schema 1 manifest"),
        Arguments.of(
            "schema 1 served as application/json",
            "application/json",
            schema1,
            "only has a Docker schema 1 manifest"),
        Arguments.of(
            "a Content-Type that contradicts the body's mediaType",
            MediaTypes.OCI_MANIFEST,
            ociManifest.replace(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST),
            "says Content-Type " + MediaTypes.OCI_MANIFEST + " but the manifest says mediaType"),
        Arguments.of(
            "JSON cut in the middle",
            MediaTypes.OCI_MANIFEST,
            ociManifest.substring(0, ociManifest.length() / 2),
            "is not valid JSON"),
        Arguments.of("a JSON array", "application/json", "[1,2,3]", "is not a JSON object"),
        Arguments.of(
            "a manifest without a config",
            MediaTypes.OCI_MANIFEST,
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}",
            "no config descriptor"),
        Arguments.of(
            "a config served as the manifest",
            MediaTypes.OCI_CONFIG,
            "{\"architecture\":\"amd64\",\"os\":\"linux\"}",
            "not an image manifest or index"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notManifests")
  void pull_refusesWhatIsNotAnImageManifestAndStoresNothing(
      String name, String contentType, String body, String fragment) throws IOException {
    serveManifest(contentType, utf8(body));
    try (RegistryClient c = client()) {
      refused(IOException.class, fragment, () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
    }
  }

  // --- 3. digests ---

  @Test
  void pull_byDigest_refusesAManifestWhoseBytesHaveAnotherDigest() throws IOException {
    Manifest asked = manifest(2);
    Manifest served = manifest(3);
    wm.stubFor(
        get("/v2/team/app/manifests/" + asked.digest())
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", asked.digest().toString())
                    .withBody(served.raw())));
    Reference byDigest = Reference.parse("registry.test/team/app@" + asked.digest());
    try (RegistryClient c = client()) {
      DigestMismatchException e =
          refused(
              DigestMismatchException.class,
              "nothing was stored",
              () -> c.pull(byDigest, AMD64, store, TransferListener.NONE));
      assertEquals(asked.digest(), e.expected());
      assertEquals(served.digest(), e.actual());
    }
  }

  enum LyingHeader {
    ANOTHER_DIGEST,
    NOT_A_DIGEST
  }

  @ParameterizedTest
  @EnumSource(LyingHeader.class)
  void pull_byTag_refusesAManifestWhoseDockerContentDigestLies(LyingHeader lie) throws IOException {
    Manifest served = manifest(2);
    String header =
        lie == LyingHeader.ANOTHER_DIGEST ? manifest(3).digest().toString() : "sha256:nothex!";
    wm.stubFor(
        get(MANIFEST_PATH)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", header)
                    .withBody(served.raw())));
    try (RegistryClient c = client()) {
      refused(
          IOException.class,
          lie == LyingHeader.ANOTHER_DIGEST
              ? "but the " + served.raw().length + " bytes received have digest " + served.digest()
              : "invalid Docker-Content-Digest 'sha256:nothex!'",
          () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
    }
  }

  // --- 4. redirect loops ---

  enum Redirects {
    TO_ITSELF,
    A_TO_B_TO_A,
    ENDLESS_CHAIN
  }

  @ParameterizedTest
  @EnumSource(Redirects.class)
  void pullBlob_boundsRedirectLoopsAndStoresNothing(Redirects kind) throws IOException {
    byte[] blob = TestImages.random(11, 2000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    String blobPath = "/v2/team/app/blobs/" + d.digest();
    try (RawHttpServer raw =
            new RawHttpServer(
                head -> {
                  String path = head.substring(4, head.indexOf(' ', 4));
                  String next =
                      switch (kind) {
                        case TO_ITSELF -> blobPath;
                        case A_TO_B_TO_A -> path.equals(blobPath) ? "/storage/b" : blobPath;
                        case ENDLESS_CHAIN ->
                            "/storage/hop"
                                + (path.startsWith("/storage/hop")
                                    ? Integer.parseInt(path.substring(12)) + 1
                                    : 0);
                      };
                  return new RawHttpServer.Reply(
                      RawHttpServer.response(
                          "307 Temporary Redirect",
                          List.of("Location: " + next, "Content-Length: 0"),
                          new byte[0],
                          0),
                      false);
                });
        RegistryClient c = client("http://127.0.0.1:" + raw.port(), CredentialProvider.ANONYMOUS)) {
      refused(
          RegistryException.class,
          kind == Redirects.ENDLESS_CHAIN
              ? "was redirected more than 10 times"
              : "was redirected in a loop",
          () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
      assertEquals(11, raw.requests().size(), "the first request and 10 redirects");
    }
  }

  // --- 5. endless bodies ---

  @Test
  void pullBlob_cutsOffAnEndlessBlobPastItsSizeAndStoresNothing() throws IOException {
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, TestImages.random(12, 10_000));
    try (EndlessHttpServer endless = new EndlessHttpServer(List.of());
        RegistryClient c = client(endless.url(), CredentialProvider.ANONYMOUS)) {
      refused(
          IOException.class,
          "sent more than the 10000 bytes its descriptor says",
          () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
      assertEquals(1, endless.requests(), "too long is never retried");
      assertTrue(endless.written() < 16L * MIB4, "server wrote " + endless.written());
    }
  }

  @Test
  void anEndlessTokenResponseIsCutOffAt1MiB() throws IOException {
    try (EndlessHttpServer endless =
        new EndlessHttpServer(List.of("Content-Type: application/json"))) {
      wm.stubFor(
          get(MANIFEST_PATH)
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader(
                          "WWW-Authenticate",
                          "Bearer realm=\""
                              + endless.url()
                              + "/token\",service=\"registry.test\"")));
      try (RegistryClient c = client()) {
        refused(
            IOException.class,
            "sent a token response larger than the 1 MiB",
            () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
      }
    }
  }

  // --- 6. wrong Content-Length ---

  enum BlobLength {
    /** Announces fewer bytes than it sends, but answers the Range that follows correctly. */
    SHORT_THEN_RANGE,
    /** Announces fewer bytes than it sends and ignores Range: never the whole blob. */
    SHORT_IGNORING_RANGE,
    /** Announces more bytes than the blob has, sends the whole blob: stored, digest checked. */
    LONG_BUT_WHOLE_BLOB,
    /** Announces the whole blob, sends 30 000 bytes, and ignores Range: never the whole blob. */
    LONG_CUT_EVERY_TIME
  }

  @ParameterizedTest
  @EnumSource(BlobLength.class)
  void pullBlob_withAWrongContentLengthResumesOrRefusesButNeverStoresWrongBytes(BlobLength kind)
      throws IOException {
    byte[] blob = TestImages.random(13, 50_000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    try (RawHttpServer raw =
            new RawHttpServer(
                head -> {
                  if (kind == BlobLength.SHORT_THEN_RANGE && head.contains("Range: bytes=1000-")) {
                    byte[] rest = Arrays.copyOfRange(blob, 1000, blob.length);
                    return new RawHttpServer.Reply(
                        RawHttpServer.response(
                            "206 Partial Content",
                            List.of(
                                "Content-Length: " + rest.length,
                                "Content-Range: bytes 1000-49999/50000"),
                            rest,
                            rest.length),
                        false);
                  }
                  int announced =
                      switch (kind) {
                        case LONG_BUT_WHOLE_BLOB -> blob.length + 1000;
                        case LONG_CUT_EVERY_TIME -> blob.length;
                        default -> 1000;
                      };
                  int sent = kind == BlobLength.LONG_CUT_EVERY_TIME ? 30_000 : blob.length;
                  return new RawHttpServer.Reply(
                      RawHttpServer.response(
                          "200 OK", List.of("Content-Length: " + announced), blob, sent),
                      false);
                });
        RegistryClient c = client("http://127.0.0.1:" + raw.port(), CredentialProvider.ANONYMOUS)) {
      if (kind == BlobLength.SHORT_THEN_RANGE || kind == BlobLength.LONG_BUT_WHOLE_BLOB) {
        assertTimeoutPreemptively(BOUND, () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
        assertArrayEquals(blob, store.read(d.digest()));
        assertEquals(1, store.count());
        assertEquals(kind == BlobLength.SHORT_THEN_RANGE ? 2 : 1, raw.requests().size());
        return;
      }
      IOException e =
          refused(
              IOException.class,
              kind == BlobLength.SHORT_IGNORING_RANGE ? "sent 1000 of 50000 bytes" : "broke",
              () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
      assertTrue(e.getMessage().contains("try again"), e.getMessage());
      assertEquals(FAST.maxAttempts(), raw.requests().size(), "retries are bounded");
    }
  }

  enum ManifestLength {
    SHORT_WITH_DIGEST_HEADER,
    SHORT_WITHOUT_DIGEST_HEADER,
    LONG
  }

  @ParameterizedTest
  @EnumSource(ManifestLength.class)
  void pull_refusesAManifestWithAWrongContentLength(ManifestLength kind) throws IOException {
    byte[] m = manifest(2).raw();
    List<String> headers =
        List.of(
            "Content-Type: " + MediaTypes.OCI_MANIFEST,
            "Content-Length: " + (kind == ManifestLength.LONG ? m.length + 100 : m.length - 20),
            kind == ManifestLength.SHORT_WITH_DIGEST_HEADER
                ? "Docker-Content-Digest: " + Digest.sha256(m)
                : "X-Nothing: 1");
    try (RawHttpServer raw =
            new RawHttpServer(
                head ->
                    new RawHttpServer.Reply(
                        RawHttpServer.response("200 OK", headers, m, m.length), false));
        RegistryClient c = client("http://127.0.0.1:" + raw.port(), CredentialProvider.ANONYMOUS)) {
      refused(
          IOException.class,
          switch (kind) {
            case SHORT_WITH_DIGEST_HEADER -> "have digest";
            case SHORT_WITHOUT_DIGEST_HEADER -> "is not valid JSON";
            case LONG -> "broke";
          },
          () -> c.pull(REPO, AMD64, store, TransferListener.NONE));
    }
  }

  // --- 7. a token revoked halfway ---

  /**
   * Token auth where the registry accepts the first token for the manifest, then answers 401 to
   * every blob request whatever token comes: the token was revoked.
   */
  private void revokedTokenRegistry(Manifest m) {
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("second")
            .willReturn(aResponse().withBody("{\"token\":\"FIRST-T0KEN\"}")));
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(aResponse().withBody("{\"token\":\"LATER-T0KEN\"}")));
    String challenge = "Bearer realm=\"" + wm.baseUrl() + "/token\",service=\"registry.test\"";
    wm.stubFor(
        get(urlPathMatching("/v2/team/app/.*"))
            .atPriority(9)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", challenge + ",error=\"invalid_token\"")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    wm.stubFor(
        get(MANIFEST_PATH)
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer FIRST-T0KEN"))
            .willReturn(
                aResponse().withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(m.raw())));
  }

  @Test
  void aTokenRevokedMidPullIsRenewedOnceThenTheFailureSaysToLogIn() throws IOException {
    byte[] blob = TestImages.random(14, 3000);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, blob);
    revokedTokenRegistry(manifest(2));
    try (RegistryClient c =
        client(wm.baseUrl(), CredentialProvider.of(Credential.password("u", "pw")))) {
      assertTimeoutPreemptively(BOUND, () -> c.fetchManifest(REPO));
      RegistryException e =
          refused(
              RegistryException.class,
              "returned 401 UNAUTHORIZED: authentication required; check the credentials (hoist"
                  + " login ",
              () -> c.pullBlob(REPO, d, store, TransferListener.NONE));
      assertEquals(401, e.status().getAsInt());
    }
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
    wm.verify(
        1,
        getRequestedFor(urlPathEqualTo("/v2/team/app/blobs/" + d.digest()))
            .withHeader("Authorization", equalTo("Bearer FIRST-T0KEN")));
    wm.verify(
        1,
        getRequestedFor(urlPathEqualTo("/v2/team/app/blobs/" + d.digest()))
            .withHeader("Authorization", equalTo("Bearer LATER-T0KEN")));
    wm.verify(
        0,
        getRequestedFor(urlPathMatching("/v2/team/app/blobs/.*"))
            .withHeader("Authorization", absent()));
  }

  @Test
  void aTokenRevokedDuringAParallelPullEndsInBoundedTimeWithFewNewTokens() throws IOException {
    TestBlobStore origin = new TestBlobStore(tmp.resolve("origin"));
    Manifest m = TestImages.image(origin, 15, false, "amd64", 3000, 4000, 5000);
    revokedTokenRegistry(m);
    int blobs = m.layers().size() + 1;
    try (RegistryClient c =
        client(wm.baseUrl(), CredentialProvider.of(Credential.password("u", "pw")))) {
      RegistryException e =
          assertTimeoutPreemptively(
              BOUND,
              () ->
                  assertThrows(
                      RegistryException.class,
                      () -> c.pull(REPO, AMD64, store, TransferListener.NONE)));
      assertTrue(e.getMessage().contains("hoist login"), e.getMessage());
      assertFalse(e.getMessage().contains("T0KEN"), e.getMessage());
    }
    int tokens = wm.findAll(getRequestedFor(urlPathEqualTo("/token"))).size();
    assertTrue(tokens >= 2 && tokens <= 1 + blobs, tokens + " token requests");
    int blobRequests =
        wm.findAll(
                getRequestedFor(urlPathMatching("/v2/team/app/blobs/.*"))
                    .withHeader("Authorization", matching("Bearer .*")))
            .size();
    assertTrue(blobRequests <= 2 * blobs, blobRequests + " blob requests");
  }
}
