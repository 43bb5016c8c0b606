package dev.hoist.builder.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code hoist pull} from a hostile registry, as a user sees it: each attack ends in one line on
 * stderr, exit status 1, and a store that passes {@code hoist fsck} with no new blob. (The
 * registry-client's HostileRegistryTest covers each attack in detail.)
 */
class HostileRegistryCliTest {
  private static final String PATH = "/v2/team/app/manifests/1";

  @TempDir Path dir;
  WireMockServer wm;
  Path root;

  @BeforeEach
  void start() throws IOException {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    root = dir.resolve("root");
    Path context = Files.createDirectories(dir.resolve("context"));
    Files.writeString(context.resolve("a.txt"), "already here");
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
    HoistRunner.Result built = hoist("build", "-t", "local/app:1", context.toString());
    assertEquals(0, built.status(), built.stderr());
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private HoistRunner.Result hoist(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return HoistRunner.run(Map.of("DOCKER_CONFIG", dir.resolve("docker").toString()), all);
  }

  enum Attack {
    // WireMock sends this body chunked: refused while reading, after 4 MiB and one byte.
    MANIFEST_OVER_4_MIB("a manifest larger than the 4 MiB hoist accepts"),
    HTML_LOGIN_PAGE("answered with text/html, not an image manifest or index"),
    LYING_DOCKER_CONTENT_DIGEST("the source is corrupt or lying, nothing was stored"),
    REDIRECT_LOOP("was redirected in a loop"),
    TOKEN_REVOKED_AFTER_THE_MANIFEST("check the credentials (hoist login 127.0.0.1:");

    final String fragment;

    Attack(String fragment) {
      this.fragment = fragment;
    }
  }

  @ParameterizedTest
  @EnumSource(Attack.class)
  void pullFromAHostileRegistry_failsWithOneLineAndLeavesTheStoreAsItWas(Attack attack)
      throws IOException {
    Manifest m =
        Manifest.of(
            MediaTypes.OCI_MANIFEST,
            Descriptor.of(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8)),
            List.of());
    switch (attack) {
      case MANIFEST_OVER_4_MIB ->
          wm.stubFor(
              get(PATH)
                  .willReturn(
                      aResponse()
                          .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                          .withBody(new byte[4 * 1024 * 1024 + 1])));
      case HTML_LOGIN_PAGE ->
          wm.stubFor(
              get(PATH)
                  .willReturn(
                      aResponse()
                          .withHeader("Content-Type", "text/html")
                          .withBody("<html>Please log in</html>")));
      case LYING_DOCKER_CONTENT_DIGEST ->
          wm.stubFor(
              get(PATH)
                  .willReturn(
                      aResponse()
                          .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                          .withHeader(
                              "Docker-Content-Digest",
                              Digest.sha256("other".getBytes(StandardCharsets.UTF_8)).toString())
                          .withBody(m.raw())));
      case REDIRECT_LOOP ->
          wm.stubFor(
              get(PATH).willReturn(aResponse().withStatus(307).withHeader("Location", PATH)));
      case TOKEN_REVOKED_AFTER_THE_MANIFEST -> {
        wm.stubFor(
            get(urlPathEqualTo("/token"))
                .willReturn(aResponse().withBody("{\"token\":\"only-once\"}")));
        wm.stubFor(
            get(urlPathMatching("/v2/team/app/.*"))
                .atPriority(9)
                .willReturn(
                    aResponse()
                        .withStatus(401)
                        .withHeader(
                            "WWW-Authenticate",
                            "Bearer realm=\"" + wm.baseUrl() + "/token\",service=\"test\"")));
        wm.stubFor(
            get(PATH)
                .atPriority(1)
                .withHeader("Authorization", equalTo("Bearer only-once"))
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                        .withBody(m.raw())));
      }
    }
    Set<Digest> before = blobs();

    HoistRunner.Result r = hoist("pull", "127.0.0.1:" + wm.port() + "/team/app:1");

    assertEquals(1, r.status(), r.stdout() + r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("hoist: "), r.stderr());
    assertTrue(r.stderr().contains(attack.fragment), r.stderr());
    HoistRunner.Result fsck = hoist("fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
    Set<Digest> added = new HashSet<>(blobs());
    added.removeAll(before);
    // Even a revoked token after the manifest leaves nothing: manifests are stored last.
    assertEquals(Set.of(), added);
  }

  private Set<Digest> blobs() throws IOException {
    try (Store s = Store.open(root)) {
      return Set.copyOf(s.blobs());
    }
  }
}
