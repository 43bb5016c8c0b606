package dev.hoist.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hoist.image.Descriptor;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload protocol details: the registry's minimum chunk, mounts that fall back to uploads. */
class ChunkedUploadTest {
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

  private RegistryClient client() {
    return RegistryClient.builder()
        .endpoint("registry.test", wm.baseUrl())
        .chunkSize(1 << 20)
        .monolithicLimit(1 << 20)
        .retry(
            new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(5)))
        .build();
  }

  @Test
  void pushBlob_honoursOciChunkMinLength() throws IOException {
    // raw random bytes: WireMock would try to gunzip a gzip-looking body
    byte[] bytes = TestImages.random(51, 5 * (1 << 20) + 7);
    TestBlobStore src = new TestBlobStore(tmp);
    Descriptor blob = src.put(MediaTypes.OCI_LAYER, bytes);
    wm.stubFor(
        head(urlPathEqualTo("/v2/a/blobs/" + blob.digest()))
            .willReturn(aResponse().withStatus(404)));
    wm.stubFor(
        post("/v2/a/blobs/uploads/")
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Location", "/v2/a/blobs/uploads/s1")
                    .withHeader("OCI-Chunk-Min-Length", String.valueOf(3 << 20))));
    wm.stubFor(
        patch(urlPathEqualTo("/v2/a/blobs/uploads/s1"))
            .willReturn(
                aResponse().withStatus(202).withHeader("Location", "/v2/a/blobs/uploads/s1")));
    wm.stubFor(
        put(urlPathEqualTo("/v2/a/blobs/uploads/s1"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Docker-Content-Digest", blob.digest().toString())));
    try (RegistryClient c = client()) {
      assertEquals(
          TransferListener.Outcome.UPLOADED,
          c.pushBlob(
              Reference.parse("registry.test/a:x"),
              blob,
              src,
              Optional.empty(),
              TransferListener.NONE));
    }
    List<LoggedRequest> patches =
        wm.findAll(patchRequestedFor(urlPathEqualTo("/v2/a/blobs/uploads/s1")));
    // chunks of the registry's 3 MiB minimum, not our 1 MiB: 3 MiB, then the last 2 MiB + 7
    assertEquals(2, patches.size());
    assertEquals("0-" + ((3 << 20) - 1), patches.get(0).getHeader("Content-Range"));
    assertEquals((3 << 20) + "-" + (bytes.length - 1), patches.get(1).getHeader("Content-Range"));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    patches.forEach(p -> sent.writeBytes(p.getBody()));
    assertArrayEquals(bytes, sent.toByteArray());
  }

  @Test
  void pushBlob_fallsBackToAnUploadWhenTheRegistryRefusesTheMount() throws IOException {
    byte[] bytes = TestImages.random(52, 1000);
    TestBlobStore src = new TestBlobStore(tmp);
    Descriptor blob = src.put(MediaTypes.OCI_LAYER, bytes);
    wm.stubFor(
        head(urlPathEqualTo("/v2/b/blobs/" + blob.digest()))
            .willReturn(aResponse().withStatus(404)));
    wm.stubFor(
        post(urlPathEqualTo("/v2/b/blobs/uploads/"))
            .withQueryParam("mount", equalTo(blob.digest().toString()))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no access to a\"}]}")));
    wm.stubFor(
        post("/v2/b/blobs/uploads/")
            .willReturn(
                aResponse().withStatus(202).withHeader("Location", "/v2/b/blobs/uploads/s2")));
    wm.stubFor(
        put(urlPathEqualTo("/v2/b/blobs/uploads/s2")).willReturn(aResponse().withStatus(201)));
    try (RegistryClient c = client()) {
      assertEquals(
          TransferListener.Outcome.UPLOADED,
          c.pushBlob(
              Reference.parse("registry.test/b:x"),
              blob,
              src,
              Optional.of("a"),
              TransferListener.NONE));
    }
    wm.verify(
        postRequestedFor(urlPathEqualTo("/v2/b/blobs/uploads/"))
            .withQueryParam("from", equalTo("a")));
    wm.verify(
        putRequestedFor(urlPathEqualTo("/v2/b/blobs/uploads/s2"))
            .withQueryParam("digest", equalTo(blob.digest().toString())));
    assertArrayEquals(
        bytes,
        wm.findAll(putRequestedFor(urlPathEqualTo("/v2/b/blobs/uploads/s2"))).get(0).getBody());
  }
}
