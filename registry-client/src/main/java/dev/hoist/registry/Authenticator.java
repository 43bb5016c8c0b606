package dev.hoist.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The Authorization header for a registry request. Learns each registry's challenge from its first
 * 401, then answers Basic with the stored credential, or Bearer with a token from the challenge's
 * realm: anonymous, by GET with basic auth, or by OAuth2 POST with a refresh token when the
 * credential is an identity token. Tokens are cached per registry and scope until shortly before
 * they expire, and dropped when the registry rejects one.
 */
final class Authenticator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The spec's default lifetime when a token service does not say. */
  private static final long DEFAULT_EXPIRES_IN = 60;

  /** containers/image's bound for token responses; real ones are a few KiB. */
  private static final long MAX_TOKEN_BODY = 1024 * 1024;

  private final CredentialProvider credentials;
  private final HttpExecutor http;
  private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Runs one plain HTTP request (no auth, no retry) for the token service. */
  @FunctionalInterface
  interface HttpExecutor {
    Response execute(Request request) throws IOException;
  }

  private record Token(String value, Instant expires) {}

  Authenticator(CredentialProvider credentials, HttpExecutor http) {
    this.credentials = credentials;
    this.http = http;
  }

  /**
   * The header for a request to {@code registry} needing {@code scope}, once a challenge is known.
   */
  Optional<String> header(String registry, Scope scope) throws IOException {
    Challenge c = challenges.get(registry);
    if (c == null) {
      return Optional.empty();
    }
    if (c.isBasic()) {
      Optional<Credential> cred = credentials.forRegistry(registry);
      return cred.filter(x -> !x.identityToken()).map(Authenticator::basic);
    }
    if (!c.isBearer()) {
      return Optional.empty();
    }
    String key = registry + " " + scope.key();
    // One fetch per key at a time: parallel blob transfers wait for the same token.
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Token t = tokens.get(key);
      if (t == null || Instant.now().isAfter(t.expires())) {
        t = fetchToken(registry, c, scope);
        tokens.put(key, t);
      }
      return Optional.of("Bearer " + t.value());
    }
  }

  /**
   * Records the challenge of a 401 and forgets the token that was rejected.
   *
   * @return whether a retry with (new) credentials can help
   */
  boolean unauthorized(
      String registry, Scope scope, Response response, Optional<String> sentAuthorization) {
    Optional<Challenge> c = Challenge.parse(response.header("WWW-Authenticate"));
    if (c.isEmpty() || !(c.get().isBearer() || c.get().isBasic())) {
      return false;
    }
    challenges.put(registry, c.get());
    // Only the rejected token is dropped: a 401 to a request sent before the challenge was known,
    // or with a token another thread has already replaced, says nothing about the current token
    // (so parallel transfers that all see a revoked token fetch one new token, not one each).
    sentAuthorization.ifPresent(
        sent ->
            tokens.computeIfPresent(
                registry + " " + scope.key(),
                (k, t) -> sent.equals("Bearer " + t.value()) ? null : t));
    // Another thread may have learnt the same challenge meanwhile: one retry always makes sense.
    return true;
  }

  /** The challenge learnt for {@code registry}, if any (for login). */
  Optional<Challenge> challenge(String registry) {
    return Optional.ofNullable(challenges.get(registry));
  }

  /**
   * Fetches a token for {@code scope} from the challenge's realm.
   *
   * @throws RegistryException when the token service refuses (wrong password) or fails
   */
  private Token fetchToken(String registry, Challenge c, Scope scope) throws IOException {
    String realm =
        c.param("realm")
            .orElseThrow(
                () ->
                    new IOException(
                        "registry "
                            + registry
                            + " asked for a bearer token without naming a realm; it is"
                            + " misconfigured"));
    HttpUrl url = HttpUrl.parse(realm);
    if (url == null) {
      throw new IOException(
          "registry " + registry + " named an invalid token realm '" + realm + "'");
    }
    Scope all = c.param("scope").map(s -> merge(scope, s)).orElse(scope);
    Optional<Credential> cred = credentials.forRegistry(registry);
    Request request;
    if (cred.isPresent() && cred.get().identityToken()) {
      FormBody.Builder form =
          new FormBody.Builder()
              .add("grant_type", "refresh_token")
              .add("refresh_token", cred.get().secret())
              .add("client_id", "hoist");
      c.param("service").ifPresent(s -> form.add("service", s));
      if (!all.entries().isEmpty()) {
        form.add("scope", all.key());
      }
      request = new Request.Builder().url(url).post(form.build()).build();
    } else {
      HttpUrl.Builder u = url.newBuilder();
      c.param("service").ifPresent(s -> u.addQueryParameter("service", s));
      for (String s : new java.util.TreeSet<>(all.entries())) {
        u.addQueryParameter("scope", s);
      }
      Request.Builder b = new Request.Builder().url(u.build()).get();
      if (cred.isPresent()) {
        u.addQueryParameter("account", cred.get().username());
        b.url(u.build()).header("Authorization", basic(cred.get()));
      }
      request = b.build();
    }
    String action = "get a token for " + registry + " from " + url.host();
    try (Response r = http.execute(request)) {
      if (r.code() == 401 || r.code() == 403) {
        RegistryException e = RegistryErrors.fromResponse(action, r);
        // The hint must name the registry to log in to, not the token service's host.
        throw new RegistryException(
            action
                + ": the token service refused "
                + cred.map(x -> "the credentials of " + x.username()).orElse("anonymous access")
                + " ("
                + r.code()
                + "); check them with hoist login "
                + registry,
            e.status(),
            e.method(),
            e.url(),
            e.codes(),
            false,
            null);
      }
      if (!r.isSuccessful()) {
        throw RegistryErrors.fromResponse(action, r);
      }
      JsonNode n = JSON.readTree(LimitedBody.read(r, MAX_TOKEN_BODY, action, "token response"));
      String token = n.path("token").asText(n.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new IOException(action + ": the token service answered without a token");
      }
      long expiresIn = n.path("expires_in").asLong(DEFAULT_EXPIRES_IN);
      // Renew a little early so that a token does not expire on its way to the registry.
      long margin = Math.min(10, expiresIn / 4);
      return new Token(token, Instant.now().plus(Duration.ofSeconds(expiresIn - margin)));
    }
  }

  private static Scope merge(Scope scope, String challengeScope) {
    Scope s = scope;
    for (String one : challengeScope.trim().split("\\s+")) {
      if (!one.isEmpty()) {
        s = s.with(one);
      }
    }
    return s;
  }

  static String basic(Credential c) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
  }
}
