package dev.hoist.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Hub, ghcr.io and ttl.sh as they behave, request by request, reproduced with WireMock:
 * their token services, redirects to blob storage, rate-limit headers and upload limits.
 */
class PublicRegistriesTest {
  @TempDir Path tmp;
  WireMockServer registry;
  WireMockServer auth;
  WireMockServer storage;

  @BeforeEach
  void start() {
    registry = server();
    auth = server();
    storage = server();
  }

  @AfterEach
  void stop() {
    registry.stop();
    auth.stop();
    storage.stop();
  }

  private static WireMockServer server() {
    WireMockServer s =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    s.start();
    return s;
  }

  private RegistryClient client(String registryName, CredentialProvider creds) {
    return RegistryClient.builder()
        .endpoint(registryName, registry.baseUrl())
        .credentials(creds)
        .retry(
            new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5)))
        .build();
  }

  @Test
  void dockerHub_anonymousPullOfALibraryImageThroughAuthDockerIoAndTheCdn() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 21, true, "amd64", 4000);
    Index list =
        Index.of(
            Optional.of(MediaTypes.DOCKER_MANIFEST_LIST),
            List.of(m.descriptor().withPlatform(Platform.of("linux", "amd64"))),
            java.util.Map.of());
    String challenge =
        "Bearer realm=\""
            + auth.baseUrl()
            + "/token\",service=\"registry.docker.io\","
            + "scope=\"repository:library/busybox:pull\"";
    registry.stubFor(
        any(anyUrl())
            .withHeader("Authorization", absent())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", challenge)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    auth.stubFor(
        get(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"token\":\"hub-token\",\"access_token\":\"hub-token\",\"expires_in\":300,"
                            + "\"issued_at\":\"2026-01-01T00:00:00Z\"}")));
    String bearer = "Bearer hub-token";
    registry.stubFor(
        get("/v2/library/busybox/manifests/latest")
            .withHeader("Authorization", equalTo(bearer))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST_LIST)
                    .withHeader("Docker-Content-Digest", list.digest().toString())
                    .withHeader("ratelimit-limit", "100;w=21600")
                    .withHeader("ratelimit-remaining", "99;w=21600")
                    .withBody(list.raw())));
    registry.stubFor(
        get("/v2/library/busybox/manifests/" + m.digest())
            .withHeader("Authorization", equalTo(bearer))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                    .withHeader("Docker-Content-Digest", m.digest().toString())
                    .withBody(m.raw())));
    for (Descriptor d : List.of(m.config(), m.layers().get(0))) {
      registry.stubFor(
          get("/v2/library/busybox/blobs/" + d.digest())
              .withHeader("Authorization", equalTo(bearer))
              .willReturn(
                  aResponse()
                      .withStatus(307)
                      .withHeader(
                          "Location",
                          storage.baseUrl() + "/registry-v2/" + d.digest().hex() + "?verify=1")));
      storage.stubFor(
          get(urlPathEqualTo("/registry-v2/" + d.digest().hex()))
              .willReturn(aResponse().withBody(src.read(d.digest()))));
    }
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    try (RegistryClient c = client("docker.io", CredentialProvider.ANONYMOUS)) {
      PullResult r =
          c.pull(
              Reference.parse("busybox"),
              Platform.parse("linux/amd64"),
              dst,
              TransferListener.NONE);
      assertArrayEquals(m.raw(), r.manifest().raw());
    }
    assertArrayEquals(src.read(m.layers().get(0).digest()), dst.read(m.layers().get(0).digest()));
    auth.verify(
        getRequestedFor(urlPathEqualTo("/token"))
            .withQueryParam("service", equalTo("registry.docker.io"))
            .withQueryParam("scope", equalTo("repository:library/busybox:pull"))
            .withHeader("Authorization", absent()));
    registry.verify(
        getRequestedFor(urlPathEqualTo("/v2/library/busybox/manifests/latest"))
            .withHeader(
                "Accept",
                matching(".*application/vnd.docker.distribution.manifest.list.v2\\+json.*"))
            .withHeader("Accept", matching(".*application/vnd.oci.image.index.v1\\+json.*")));
    storage.verify(2, anyRequestedFor(anyUrl()).withHeader("Authorization", absent()));
    // the token was fetched once and reused for every request of the pull
    assertEquals(1, auth.findAll(getRequestedFor(urlPathEqualTo("/token"))).size());
  }

  /**
   * Docker Hub counts manifest GETs against the pull limit, not HEADs. A first pull into a store
   * that cannot hold the image fetches the manifest at once (a HEAD would only cost a round trip);
   * a repeated pull asks by HEAD and, finding the digest stored, fetches neither manifest nor blob.
   */
  @Test
  void dockerHub_aFirstPullSkipsTheHeadAndARepeatedPullMakesNoCountedRequest() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 22, true, "amd64", 4000);
    String path = "/v2/library/alpine/manifests/3.20";
    registry.stubFor(
        get(path)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                    .withHeader("Docker-Content-Digest", m.digest().toString())
                    .withBody(m.raw())));
    registry.stubFor(
        head(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                    .withHeader("Docker-Content-Digest", m.digest().toString())
                    .withHeader("Content-Length", String.valueOf(m.raw().length))));
    for (Descriptor d : List.of(m.config(), m.layers().get(0))) {
      registry.stubFor(
          get("/v2/library/alpine/blobs/" + d.digest())
              .willReturn(aResponse().withBody(src.read(d.digest()))));
    }
    TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
    Reference alpine = Reference.parse("alpine:3.20");
    try (RegistryClient c = client("docker.io", CredentialProvider.ANONYMOUS)) {
      dst.holdsNoManifests(true);
      c.pull(alpine, Platform.parse("linux/amd64"), dst, TransferListener.NONE);
      registry.verify(0, headRequestedFor(urlPathEqualTo(path)));
      registry.verify(1, getRequestedFor(urlPathEqualTo(path)));

      dst.holdsNoManifests(false);
      PullResult again = c.pull(alpine, Platform.parse("linux/amd64"), dst, TransferListener.NONE);
      assertEquals(0, again.bytesDownloaded());
    }
    registry.verify(1, headRequestedFor(urlPathEqualTo(path)));
    registry.verify(1, getRequestedFor(urlPathEqualTo(path)));
    registry.verify(2, getRequestedFor(urlPathMatching("/v2/library/alpine/blobs/.*")));
  }

  @Test
  void dockerHub_aPullRateLimitIsReportedWithItsHeaders() throws IOException {
    registry.stubFor(
        get("/v2/library/busybox/manifests/latest")
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("ratelimit-limit", "100;w=21600")
                    .withHeader("ratelimit-remaining", "0;w=21600")
                    .withHeader("docker-ratelimit-source", "203.0.113.9")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your"
                            + " pull rate limit. You may increase the limit by authenticating and upgrading:"
                            + " https://www.docker.com/increase-rate-limit\"}]}")));
    try (RegistryClient c = client("docker.io", CredentialProvider.ANONYMOUS)) {
      RegistryException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              RegistryException.class, () -> c.fetchManifest(Reference.parse("busybox")));
      assertTrue(e.getMessage().contains("TOOMANYREQUESTS"), e.getMessage());
      assertTrue(e.getMessage().contains("ratelimit-remaining 0;w=21600"), e.getMessage());
      assertTrue(e.getMessage().contains("log in"), e.getMessage());
    }
  }

  @Test
  void ghcr_aTokenUsedAsPasswordAndChunksWithinItsFourMebibyteLimit() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    // Raw random bytes, not gzip: WireMock tries to gunzip a body that starts with gzip's magic
    // bytes and answers 500 for a chunk that is only the start of a gzip stream.
    Descriptor raw = src.put(MediaTypes.OCI_LAYER, TestImages.random(22, 10 * 1024 * 1024 + 17));
    Descriptor cfg =
        src.put(
            MediaTypes.OCI_CONFIG,
            "{\"architecture\":\"amd64\",\"os\":\"linux\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Manifest m = Manifest.of(MediaTypes.OCI_MANIFEST, cfg, List.of(raw));
    src.put(m.mediaType(), m.raw());
    Descriptor layer = m.layers().get(0);
    String challenge =
        "Bearer realm=\""
            + auth.baseUrl()
            + "/token\",service=\"ghcr.io\","
            + "scope=\"repository:octo/app:pull\"";
    registry.stubFor(
        any(anyUrl())
            .withHeader("Authorization", absent())
            .atPriority(1)
            .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", challenge)));
    auth.stubFor(
        get(urlPathEqualTo("/token"))
            .withHeader(
                "Authorization",
                equalTo(
                    Authenticator.basic(Credential.password("octo", "ghp_personalAccessToken"))))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"token\":\"ghcr-token\"}")));
    registry.stubFor(
        head(urlPathMatching("/v2/octo/app/blobs/.*"))
            .atPriority(5)
            .willReturn(aResponse().withStatus(404)));
    registry.stubFor(
        post("/v2/octo/app/blobs/uploads/")
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Location", "/v2/octo/app/blobs/uploads/u-1?state=x")));
    registry.stubFor(
        patch(urlPathEqualTo("/v2/octo/app/blobs/uploads/u-1"))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Location", "/v2/octo/app/blobs/uploads/u-1?state=y")));
    registry.stubFor(
        put(urlPathEqualTo("/v2/octo/app/blobs/uploads/u-1"))
            .atPriority(5)
            .willReturn(aResponse().withStatus(201)));
    registry.stubFor(
        put("/v2/octo/app/manifests/v1")
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Docker-Content-Digest", m.digest().toString())));
    try (RegistryClient c =
        client(
            "ghcr.io",
            CredentialProvider.of(Credential.password("octo", "ghp_personalAccessToken")))) {
      c.push(
          Reference.parse("ghcr.io/octo/app:v1"),
          m.descriptor(),
          src,
          Optional.empty(),
          TransferListener.NONE);
    }
    List<LoggedRequest> patches =
        registry.findAll(
            patchRequestedFor(urlPathEqualTo("/v2/octo/app/blobs/uploads/u-1"))
                .withHeader("Authorization", equalTo("Bearer ghcr-token")));
    assertEquals(3, patches.size());
    long offset = 0;
    for (LoggedRequest p : patches) {
      int len = p.getBody().length;
      assertTrue(len <= 4 * 1024 * 1024, "chunk of " + len + " bytes");
      assertEquals(offset + "-" + (offset + len - 1), p.getHeader("Content-Range"));
      offset += len;
    }
    assertEquals(layer.size(), offset);
    registry.verify(
        putRequestedFor(urlPathEqualTo("/v2/octo/app/blobs/uploads/u-1"))
            .withQueryParam("digest", equalTo(layer.digest().toString()))
            .withQueryParam("state", equalTo("y")));
    registry.verify(
        putRequestedFor(urlPathEqualTo("/v2/octo/app/manifests/v1"))
            .withHeader("Content-Type", equalTo(MediaTypes.OCI_MANIFEST)));
  }

  @Test
  void ttlSh_anonymousPushWithTheExpiryAsTag() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 23, true, "amd64", 3000);
    registry.stubFor(
        head(urlPathMatching("/v2/hoist-test-1234/blobs/.*"))
            .willReturn(aResponse().withStatus(404)));
    registry.stubFor(
        post("/v2/hoist-test-1234/blobs/uploads/")
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader(
                        "Location",
                        registry.baseUrl() + "/v2/hoist-test-1234/blobs/uploads/abc?_state=s")));
    registry.stubFor(
        put(urlPathEqualTo("/v2/hoist-test-1234/blobs/uploads/abc"))
            .willReturn(aResponse().withStatus(201)));
    registry.stubFor(
        put("/v2/hoist-test-1234/manifests/1h")
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Docker-Content-Digest", m.digest().toString())));
    try (RegistryClient c = client("ttl.sh", CredentialProvider.ANONYMOUS)) {
      Descriptor pushed =
          c.push(
              Reference.parse("ttl.sh/hoist-test-1234:1h"),
              m.descriptor(),
              src,
              Optional.empty(),
              TransferListener.NONE);
      assertEquals(m.digest(), pushed.digest());
    }
    registry.verify(anyRequestedFor(anyUrl()).withHeader("Authorization", absent()));
    registry.verify(
        putRequestedFor(urlPathEqualTo("/v2/hoist-test-1234/manifests/1h"))
            .withHeader("Content-Type", equalTo(MediaTypes.DOCKER_MANIFEST)));
    for (Digest d : List.of(m.config().digest(), m.layers().get(0).digest())) {
      registry.verify(
          putRequestedFor(urlPathEqualTo("/v2/hoist-test-1234/blobs/uploads/abc"))
              .withQueryParam("digest", equalTo(d.toString()))
              .withQueryParam("_state", equalTo("s")));
    }
  }
}
