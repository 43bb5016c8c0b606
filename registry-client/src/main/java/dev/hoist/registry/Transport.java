package dev.hoist.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends requests to registries: picks https or plain http, chooses the TLS set-up of the host,
 * attaches credentials only for the registry's own host, answers 401 challenges once, follows
 * redirects itself (so that a redirect to blob storage never carries the registry's Authorization),
 * and retries connection errors, 408, 429 and 5xx with backoff when the body can be sent again.
 */
final class Transport {
  private static final int MAX_REDIRECTS = 10;
  private static final List<Integer> REDIRECTS = List.of(301, 302, 303, 307, 308);

  private final OkHttpClient base;
  private final RegistryClient.Options options;
  private final Authenticator auth;
  private final Map<String, OkHttpClient> clients = new ConcurrentHashMap<>();

  /** Per registry: "https" or "http" once known (insecure registries may fall back to http). */
  private final Map<String, String> schemes = new ConcurrentHashMap<>();

  /** A request body: made afresh per attempt when {@code repeatable}, else sent at most once. */
  record Body(Supplier<RequestBody> make, boolean repeatable) {
    static Body of(RequestBody body) {
      return new Body(() -> body, true);
    }
  }

  /**
   * One registry request.
   *
   * @param action what the caller is doing, for messages ("pull docker.io/library/busybox")
   * @param target a path below the registry ({@code /v2/…}) or an absolute URL (an upload Location)
   */
  record Exchange(
      String action,
      String registry,
      Scope scope,
      String method,
      String target,
      Map<String, String> headers,
      Optional<Body> body) {
    static Exchange get(String action, String registry, Scope scope, String target) {
      return new Exchange(action, registry, scope, "GET", target, Map.of(), Optional.empty());
    }

    Exchange withHeaders(Map<String, String> h) {
      return new Exchange(action, registry, scope, method, target, h, body);
    }
  }

  Transport(OkHttpClient base, RegistryClient.Options options) {
    this.base = base;
    this.options = options;
    this.auth = new Authenticator(options.credentials(), this::executeToken);
  }

  Authenticator authenticator() {
    return auth;
  }

  /** The base URL of {@code registry}'s API, {@code https://registry-1.docker.io} etc. */
  HttpUrl baseUrl(String registry) {
    String override = options.endpoints().get(registry);
    if (override != null) {
      return HttpUrl.get(override.endsWith("/") ? override : override + "/");
    }
    // A registry that may be plain HTTP and whose probe reached nothing: requests fail to connect
    // either way, and their error then names the scheme of such registries (as Docker's does).
    String scheme = schemes.getOrDefault(registry, mayBePlain(registry) ? "http" : "https");
    return HttpUrl.get(scheme + "://" + Endpoints.apiHost(registry) + "/");
  }

  private boolean mayBePlain(String registry) {
    return Endpoints.insecure(registry, options.insecureRegistries(), options.loopbackInsecure());
  }

  /**
   * For a registry that may be plain HTTP, decides the scheme once by {@link TlsProbe} (cheap),
   * instead of learning it from a failed TLS handshake.
   */
  private void probeScheme(String registry) {
    if (schemes.containsKey(registry)
        || options.endpoints().containsKey(registry)
        || !mayBePlain(registry)) {
      return;
    }
    synchronized (schemes) {
      if (schemes.containsKey(registry)) {
        return;
      }
      HttpUrl u = HttpUrl.get("https://" + Endpoints.apiHost(registry) + "/");
      TlsProbe.speaksTls(u.host(), u.port(), 2000)
          .ifPresent(tls -> schemes.put(registry, tls ? "https" : "http"));
    }
  }

  HttpUrl resolve(String registry, String target) {
    if (target.startsWith("/")) {
      probeScheme(registry);
      HttpUrl b = baseUrl(registry);
      HttpUrl u = b.resolve(target);
      if (u == null) {
        throw new IllegalArgumentException("bad registry path " + target);
      }
      return u;
    }
    HttpUrl u = HttpUrl.parse(target);
    if (u == null) {
      throw new IllegalArgumentException("bad registry URL " + target);
    }
    return u;
  }

  /**
   * Sends {@code ex}, with auth, redirects and retries. The caller closes the response; any status
   * may come back (the caller decides what is an error), except that transport failures which
   * outlast the retries throw {@link RegistryException}.
   */
  Response send(Exchange ex) throws IOException {
    Instant start = Instant.now();
    RetryPolicy policy = options.retry();
    int attempt = 0;
    boolean reauthenticated = false;
    int redirects = 0;
    HttpUrl url = resolve(ex.registry(), ex.target());
    java.util.Set<HttpUrl> visited = new java.util.LinkedHashSet<>(List.of(url));
    String method = ex.method();
    Optional<Body> body = ex.body();
    boolean bodySent = false;
    while (true) {
      attempt++;
      if (bodySent && body.isPresent() && !body.get().repeatable()) {
        throw new IllegalStateException("one-shot body cannot be sent twice: " + ex.action());
      }
      Request.Builder rb = new Request.Builder().url(url);
      ex.headers().forEach(rb::header);
      rb.header("User-Agent", options.userAgent());
      boolean ownHost = ownHost(ex.registry(), url);
      if (ownHost) {
        auth.header(ex.registry(), ex.scope()).ifPresent(h -> rb.header("Authorization", h));
      }
      RequestBody rbody = body.map(b -> b.make().get()).orElse(null);
      if (rbody == null
          && (method.equals("PUT") || method.equals("POST") || method.equals("PATCH"))) {
        rbody = RequestBody.create(new byte[0], null);
      }
      rb.method(method, rbody);
      Request request = rb.tag(Abort.class, new Abort()).build();
      Response response;
      try {
        bodySent = rbody != null;
        response = execute(clientFor(url), request);
        options.log().accept(method + " " + RegistryErrors.safeUrl(url) + " -> " + response.code());
      } catch (IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw e;
        }
        options.log().accept(method + " " + RegistryErrors.safeUrl(url) + " failed: " + e);
        if (e instanceof SSLException
            && url.scheme().equals("https")
            && ownHost
            && Endpoints.insecure(
                ex.registry(), options.insecureRegistries(), options.loopbackInsecure())
            && !"https".equals(schemes.get(ex.registry()))
            && !options.endpoints().containsKey(ex.registry())) {
          // An insecure registry that does not speak TLS: Docker falls back to plain HTTP.
          schemes.put(ex.registry(), "http");
          url = url.newBuilder().scheme("http").build();
          attempt--;
          bodySent = false;
          continue;
        }
        boolean canRetry =
            !(e instanceof SSLException)
                && !(e instanceof java.net.UnknownHostException)
                && (body.isEmpty() || body.get().repeatable());
        Optional<Duration> pause =
            canRetry ? nextPause(policy, attempt, start, Optional.empty()) : Optional.empty();
        if (pause.isEmpty()) {
          throw RegistryErrors.fromIo(ex.action(), method, url, e);
        }
        sleep(pause.get());
        continue;
      }
      if (ownHost && url.scheme().equals("https")) {
        schemes.putIfAbsent(ex.registry(), "https");
      }
      int code = response.code();
      if (code == 401 && ownHost && !reauthenticated) {
        boolean retry =
            auth.unauthorized(
                ex.registry(),
                ex.scope(),
                response,
                Optional.ofNullable(request.header("Authorization")));
        if (retry && (body.isEmpty() || body.get().repeatable() || !bodySent)) {
          response.close();
          reauthenticated = true;
          attempt--;
          bodySent = false;
          continue;
        }
        return response;
      }
      if (REDIRECTS.contains(code) && response.header("Location") != null) {
        HttpUrl next = url.resolve(response.header("Location"));
        if (next == null) {
          return response;
        }
        if (++redirects > MAX_REDIRECTS) {
          response.close();
          throw tooManyRedirects(ex, method, code, visited, next);
        }
        visited.add(next);
        response.close();
        url = next;
        if (code == 303) {
          method = "GET";
          body = Optional.empty();
        }
        attempt--;
        continue;
      }
      if (RegistryErrors.retryableStatus(code) && (body.isEmpty() || body.get().repeatable())) {
        Optional<Duration> pause = nextPause(policy, attempt, start, retryAfter(response));
        if (pause.isPresent()) {
          response.close();
          sleep(pause.get());
          continue;
        }
      }
      return response;
    }
  }

  /**
   * A redirect chain longer than {@link #MAX_REDIRECTS} (Go's and curl's kind of bound): a loop
   * (A→A, A→B→A) or a storage that never lands. Never retried.
   */
  private static RegistryException tooManyRedirects(
      Exchange ex, String method, int code, java.util.Set<HttpUrl> visited, HttpUrl next) {
    HttpUrl first = visited.iterator().next();
    String loop =
        visited.contains(next)
            ? "in a loop (back to " + RegistryErrors.safeUrl(next) + ")"
            : "more than "
                + MAX_REDIRECTS
                + " times (last to "
                + RegistryErrors.safeUrl(next)
                + ")";
    return new RegistryException(
        RegistryErrors.oneLine(
            ex.action()
                + ": "
                + method
                + " "
                + RegistryErrors.safeUrl(first)
                + " was redirected "
                + loop
                + "; the registry or its storage is misconfigured"),
        java.util.OptionalInt.of(code),
        method,
        RegistryErrors.safeUrl(first),
        List.of(),
        false,
        null);
  }

  /** Like {@link #send} but turns a status other than {@code expected} into an exception. */
  Response expect(Exchange ex, Set<Integer> expected) throws IOException {
    Response r = send(ex);
    if (!expected.contains(r.code())) {
      throw RegistryErrors.fromResponse(ex.action(), r);
    }
    return r;
  }

  /** Whether another attempt fits; the pause before it. */
  static Optional<Duration> nextPause(
      RetryPolicy policy, int attempt, Instant start, Optional<Duration> retryAfter) {
    if (attempt >= policy.maxAttempts()) {
      return Optional.empty();
    }
    Duration pause = retryAfter.orElseGet(() -> policy.delay(attempt));
    Duration used = Duration.between(start, Instant.now());
    if (used.plus(pause).compareTo(policy.totalBudget()) > 0) {
      return Optional.empty();
    }
    return Optional.of(pause);
  }

  /** {@code Retry-After} as seconds or an HTTP date. */
  static Optional<Duration> retryAfter(Response r) {
    String v = r.header("Retry-After");
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(Instant.now(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException unreadable) {
        return Optional.empty();
      }
    }
  }

  static void sleep(Duration d) throws InterruptedIOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  /** Whether a URL is on the registry's own host, the only one that gets its credentials. */
  private boolean ownHost(String registry, HttpUrl url) {
    HttpUrl api = baseUrl(registry);
    return url.host().equalsIgnoreCase(api.host()) && url.port() == api.port();
  }

  /** Lets a reader of a response drop its connection at once (see {@link #abort}). */
  private static final class Abort {
    volatile Call call;
  }

  private static Response execute(OkHttpClient client, Request request) throws IOException {
    Call call = client.newCall(request);
    Abort abort = request.tag(Abort.class);
    if (abort != null) {
      abort.call = call;
    }
    return call.execute();
  }

  /**
   * Drops the connection of {@code r} at once. Closing a body that was not read to its end makes
   * okhttp read on for up to 100 ms to keep the connection (at loopback speed, hundreds of MB of a
   * hostile endless body); a body hoist refuses is not worth a connection.
   */
  static void abort(Response r) {
    Abort abort = r.request().tag(Abort.class);
    if (abort != null && abort.call != null) {
      abort.call.cancel();
    }
  }

  /** Token service requests: TLS per host, and retried on transient failures. */
  private Response executeToken(Request request) throws IOException {
    Instant start = Instant.now();
    int attempt = 0;
    while (true) {
      attempt++;
      Response r;
      try {
        r =
            execute(
                clientFor(request.url()),
                request.newBuilder().tag(Abort.class, new Abort()).build());
        options
            .log()
            .accept(
                request.method() + " " + RegistryErrors.safeUrl(request.url()) + " -> " + r.code());
      } catch (IOException e) {
        Optional<Duration> pause =
            e instanceof SSLException
                ? Optional.empty()
                : nextPause(options.retry(), attempt, start, Optional.empty());
        if (pause.isEmpty()) {
          throw RegistryErrors.fromIo("get a token", request.method(), request.url(), e);
        }
        sleep(pause.get());
        continue;
      }
      if (RegistryErrors.retryableStatus(r.code())) {
        Optional<Duration> pause = nextPause(options.retry(), attempt, start, retryAfter(r));
        if (pause.isPresent()) {
          r.close();
          sleep(pause.get());
          continue;
        }
      }
      return r;
    }
  }

  /**
   * The client for a URL's host: its certs.d CA and client certificate, or trust-all if insecure.
   */
  private OkHttpClient clientFor(HttpUrl url) throws IOException {
    if (!url.isHttps()) {
      return base;
    }
    String hostPort = url.port() == 443 ? url.host() : url.host() + ":" + url.port();
    OkHttpClient c = clients.get(hostPort);
    if (c != null) {
      return c;
    }
    TlsCiphers.install();
    Optional<TlsFiles.Tls> tls;
    boolean insecure =
        !options.tlsVerify()
            || Endpoints.insecure(
                hostPort, options.insecureRegistries(), options.loopbackInsecure());
    Optional<TlsFiles.Tls> files = TlsFiles.forHost(options.certsDirs(), hostPort);
    tls =
        files.isPresent() ? files : insecure ? Optional.of(TlsFiles.trustAll()) : Optional.empty();
    // The base client speaks plain HTTP only (see RegistryClient); okhttp's default specs here.
    OkHttpClient.Builder b =
        base.newBuilder()
            .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT));
    if (tls.isPresent()) {
      b.sslSocketFactory(tls.get().context().getSocketFactory(), tls.get().trustManager());
    }
    if (insecure && files.isEmpty()) {
      b.hostnameVerifier((h, s) -> true);
    }
    c = b.build();
    clients.put(hostPort, c);
    return c;
  }
}
