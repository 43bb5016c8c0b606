package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Manifest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import dev.hoist.testkit.TokenIssuer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins, tokens and refusals against real registries with htpasswd and token auth. */
class AuthTest {
  static LocalRegistry basic;
  static LocalRegistry token;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    basic = LocalRegistry.builder().htpasswd("alice", "right-one").start();
    token = LocalRegistry.builder().tokenAuth("bob", "b0b", true).start();
  }

  @AfterAll
  static void stop() {
    basic.close();
    token.close();
  }

  private static RegistryClient client(Credential c, List<String> log) {
    return RegistryClient.builder()
        .credentials(c == null ? CredentialProvider.ANONYMOUS : CredentialProvider.of(c))
        .retry(RetryPolicy.NONE)
        .log(log::add)
        .build();
  }

  @Test
  void checkLogin_acceptsTheRightPasswordOnBothKindsOfAuth() throws IOException {
    try (RegistryClient c = client(Credential.password("alice", "right-one"), new ArrayList<>())) {
      c.checkLogin(basic.host());
    }
    try (RegistryClient c = client(Credential.password("bob", "b0b"), new ArrayList<>())) {
      c.checkLogin(token.host());
    }
  }

  @Test
  void aWrongPasswordGivesOneLineThatSaysWhatToDoAndHidesTheSecret() throws IOException {
    for (LocalRegistry r : List.of(basic, token)) {
      List<String> log = Collections.synchronizedList(new ArrayList<>());
      try (RegistryClient c = client(Credential.password("alice", "wrong-pw-123"), log)) {
        RegistryException e = assertThrows(RegistryException.class, () -> c.checkLogin(r.host()));
        assertEquals(401, e.status().getAsInt(), e.getMessage());
        assertTrue(e.getMessage().contains("hoist login"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(e.getMessage().contains("wrong-pw-123"));
        assertFalse(String.join("\n", log).contains("wrong-pw-123"));
      }
    }
  }

  @Test
  void anonymousCallersMayPullButNotPushWithTokenAuth() throws IOException {
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 11, true, "amd64", 1000);
    Reference ref = Reference.parse(token.host() + "/public/app:1");
    try (RegistryClient owner = client(Credential.password("bob", "b0b"), new ArrayList<>())) {
      owner.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
    }
    try (RegistryClient anon = client(null, new ArrayList<>())) {
      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      assertArrayEquals(
          m.raw(), anon.pull(ref, Platform.host(), dst, TransferListener.NONE).manifest().raw());
      TestBlobStore other = new TestBlobStore(tmp.resolve("other"));
      Manifest m2 = TestImages.image(other, 12, true, "amd64", 1000);
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  anon.push(ref, m2.descriptor(), other, Optional.empty(), TransferListener.NONE));
      assertEquals(401, e.status().getAsInt(), e.getMessage());
    }
  }

  @Test
  void tokensAreCachedPerScopeAndARefreshTokenIsSentByOAuth2Post() throws IOException {
    TokenIssuer issuer = token.tokenIssuer().orElseThrow();
    issuer.addRefreshToken("refresh-abc", "bob");
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 13, false, "amd64", 1000, 2000, 3000);
    Reference ref = Reference.parse(token.host() + "/oauth/app:1");
    issuer.clearRequests();
    try (RegistryClient c =
        client(Credential.identityToken("<token>", "refresh-abc"), new ArrayList<>())) {
      c.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      c.pull(ref, Platform.host(), new TestBlobStore(tmp.resolve("dst")), TransferListener.NONE);
    }
    List<TokenIssuer.TokenRequest> reqs = issuer.requests();
    assertTrue(reqs.stream().allMatch(r -> r.method().equals("POST")), reqs.toString());
    assertTrue(reqs.stream().allMatch(r -> r.user().equals(Optional.of("bob"))), reqs.toString());
    assertTrue(
        reqs.stream().allMatch(r -> r.params().get("grant_type").equals(List.of("refresh_token"))));
    // one token for push scope, one for pull scope: not one per blob
    assertTrue(reqs.size() <= 3, "tokens reused: " + reqs.size() + " requests " + reqs);
  }
}
