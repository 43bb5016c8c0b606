package dev.hoist.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small Docker token server for tests, as Docker Hub's {@code auth.docker.io} behaves: {@code GET
 * /token?service=…&scope=…} (anonymous or with basic auth) and the OAuth2 {@code POST /token} with
 * {@code grant_type=password} or {@code grant_type=refresh_token}. It answers {@code {"token":
 * JWT}} signed with RS256 by a key whose self-signed certificate is {@link #rootCertBundle()},
 * which a distribution registry's {@code auth.token.rootcertbundle} trusts.
 *
 * <p>Policy: known users with the right password get every action they ask for; anonymous callers
 * get {@code pull} when {@link #anonymousPull(boolean)} is on (the default), nothing otherwise;
 * wrong credentials get 401. Every request is recorded for assertions ({@link #requests()}).
 */
public final class TokenIssuer implements AutoCloseable {
  /** One request the issuer received. {@code user} is who authenticated, if anyone. */
  public record TokenRequest(
      String method, Map<String, List<String>> params, Optional<String> user, boolean basicAuth) {
    public List<String> scopes() {
      return params.getOrDefault("scope", List.of());
    }
  }

  private final String issuer;
  private final String service;
  private final TestCertificates.Issued signing;
  private final Path bundle;
  private final HttpServer server;
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
  private volatile boolean anonymousPull = true;
  private volatile long expiresInSeconds = 300;

  /**
   * Starts an issuer on a free loopback port.
   *
   * @param dir where the certificate bundle is written
   */
  public TokenIssuer(Path dir, String issuer, String service) {
    this.issuer = issuer;
    this.service = service;
    this.signing = TestCertificates.signingCertificate(issuer);
    this.bundle = signing.writeCertificate(dir.resolve("token-root.pem"));
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test token issuer", e);
    }
    server.createContext("/token", this::handle);
    server.start();
  }

  /** The token endpoint, {@code http://127.0.0.1:PORT/token}. */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public String issuer() {
    return issuer;
  }

  public String service() {
    return service;
  }

  /** The PEM file holding the signing certificate, for the registry's {@code rootcertbundle}. */
  public Path rootCertBundle() {
    return bundle;
  }

  /** Lets {@code user} in with {@code password}. */
  public TokenIssuer addUser(String user, String password) {
    users.put(user, password);
    return this;
  }

  /** Accepts {@code refreshToken} (a Docker {@code identitytoken}) as {@code user}. */
  public TokenIssuer addRefreshToken(String refreshToken, String user) {
    refreshTokens.put(refreshToken, user);
    return this;
  }

  /** Whether anonymous callers get pull access (as for public images on Docker Hub). */
  public TokenIssuer anonymousPull(boolean allowed) {
    this.anonymousPull = allowed;
    return this;
  }

  /** The lifetime written into tokens as {@code expires_in} and {@code exp}. */
  public TokenIssuer expiresIn(long seconds) {
    this.expiresInSeconds = seconds;
    return this;
  }

  /** Every request received so far, in order. */
  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, List<String>> params = parseForm(ex.getRequestURI().getRawQuery());
      if (ex.getRequestMethod().equals("POST")) {
        params.putAll(
            parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      }
      String authz = ex.getRequestHeaders().getFirst("Authorization");
      Optional<String> user;
      boolean basic = authz != null && authz.startsWith("Basic ");
      if (basic) {
        String[] up =
            new String(Base64.getDecoder().decode(authz.substring(6)), StandardCharsets.UTF_8)
                .split(":", 2);
        user = up.length == 2 && up[1].equals(users.get(up[0])) ? Optional.of(up[0]) : null;
      } else if (ex.getRequestMethod().equals("POST")) {
        user = postUser(params);
      } else {
        user = Optional.empty();
      }
      requests.add(
          new TokenRequest(
              ex.getRequestMethod(), params, user == null ? Optional.empty() : user, basic));
      if (user == null) {
        reply(ex, 401, "{\"details\":\"incorrect username or password\"}");
        return;
      }
      if (!service.equals(first(params, "service"))) {
        reply(ex, 400, "{\"details\":\"unknown service\"}");
        return;
      }
      String jwt = sign(user, params.getOrDefault("scope", List.of()));
      StringBuilder body = new StringBuilder();
      body.append("{\"token\":\"").append(jwt).append("\",\"access_token\":\"").append(jwt);
      body.append("\",\"expires_in\":").append(expiresInSeconds);
      body.append(",\"issued_at\":\"").append(Instant.now()).append('"');
      boolean offline =
          "true".equals(first(params, "offline_token"))
              || "offline".equals(first(params, "access_type"));
      if (offline && user.isPresent()) {
        String refresh = UUID.randomUUID().toString();
        refreshTokens.put(refresh, user.get());
        body.append(",\"refresh_token\":\"").append(refresh).append('"');
      }
      body.append('}');
      reply(ex, 200, body.toString());
    } catch (RuntimeException e) {
      reply(ex, 500, "{\"details\":\"" + e.getClass().getSimpleName() + "\"}");
    }
  }

  /** The user a POST authenticates, empty for none, null for wrong credentials. */
  private Optional<String> postUser(Map<String, List<String>> params) {
    String grant = first(params, "grant_type");
    if ("refresh_token".equals(grant)) {
      String u = refreshTokens.get(first(params, "refresh_token"));
      return u == null ? null : Optional.of(u);
    }
    if ("password".equals(grant)) {
      String u = first(params, "username");
      String p = first(params, "password");
      return u != null && p != null && p.equals(users.get(u)) ? Optional.of(u) : null;
    }
    return null;
  }

  private String sign(Optional<String> user, List<String> scopes) {
    long now = Instant.now().getEpochSecond();
    String x5c;
    try {
      x5c = Base64.getEncoder().encodeToString(signing.certificate().getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + x5c + "\"]}";
    StringBuilder access = new StringBuilder("[");
    for (String scope : scopes) {
      for (String one : splitScopes(scope)) {
        int c1 = one.indexOf(':');
        int c2 = one.lastIndexOf(':');
        if (c1 < 0 || c2 <= c1) {
          continue;
        }
        List<String> granted = new ArrayList<>();
        for (String action : one.substring(c2 + 1).split(",")) {
          if (user.isPresent() || (anonymousPull && action.equals("pull"))) {
            granted.add("\"" + action + "\"");
          }
        }
        if (access.length() > 1) {
          access.append(',');
        }
        access
            .append("{\"type\":\"")
            .append(one, 0, c1)
            .append("\",\"name\":\"")
            .append(one, c1 + 1, c2)
            .append("\",\"actions\":[")
            .append(String.join(",", granted))
            .append("]}");
      }
    }
    access.append(']');
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"sub\":\""
            + user.orElse("")
            + "\",\"aud\":\""
            + service
            + "\",\"exp\":"
            + (now + expiresInSeconds)
            + ",\"nbf\":"
            + (now - 60)
            + ",\"iat\":"
            + now
            + ",\"jti\":\""
            + UUID.randomUUID()
            + "\",\"access\":"
            + access
            + "}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signing.keyPair().getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test token", e);
    }
  }

  /** Docker sends several scopes as repeated parameters; some clients join them with spaces. */
  private static List<String> splitScopes(String scope) {
    return List.of(scope.trim().split("\\s+"));
  }

  private static String first(Map<String, List<String>> params, String key) {
    List<String> v = params.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static Map<String, List<String>> parseForm(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
