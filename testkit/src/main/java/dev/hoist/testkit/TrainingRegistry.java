package dev.hoist.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A registry in memory that speaks just enough of the distribution API for a push and a pull
 * (uploads by POST, PATCH and PUT; blobs and manifests by HEAD and GET), on a plain-HTTP port and
 * an HTTPS port with a self-signed certificate. Not a registry to test against (tests use the real
 * one, {@link LocalRegistry}): the launcher runs hoist's push and pulls against it while it records
 * the classes a run loads for its class-data-sharing archive, so that the classes of a successful
 * transfer and of a TLS handshake are archived too, on machines without docker-registry.
 *
 * <p>{@code java dev.hoist.testkit.TrainingRegistry FILE} writes "PLAIN_PORT TLS_PORT" to FILE once
 * both listen, and serves until killed.
 */
public final class TrainingRegistry implements AutoCloseable {
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9]+)");

  private record Stored(byte[] bytes, String type) {}

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Stored> manifests = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final AtomicLong nextUpload = new AtomicLong();
  private final HttpServer plain;
  private final HttpsServer tls;

  private TrainingRegistry() throws IOException, GeneralSecurityException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    plain = HttpServer.create(new InetSocketAddress(loopback, 0), 16);
    tls = HttpsServer.create(new InetSocketAddress(loopback, 0), 16);
    tls.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    for (HttpServer s : new HttpServer[] {plain, tls}) {
      s.createContext("/", this::handle);
      s.start();
    }
  }

  /** Starts both servers on free loopback ports. */
  public static TrainingRegistry start() throws IOException, GeneralSecurityException {
    return new TrainingRegistry();
  }

  /** {@code 127.0.0.1:PORT} of the plain-HTTP server. */
  public String plainAddress() {
    return "127.0.0.1:" + plain.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT} of the HTTPS server. */
  public String tlsAddress() {
    return "127.0.0.1:" + tls.getAddress().getPort();
  }

  @Override
  public void close() {
    plain.stop(0);
    tls.stop(0);
  }

  public static void main(String[] args) throws Exception {
    TrainingRegistry r = start();
    Path ports = Path.of(args[0]);
    Path temp = ports.resolveSibling(ports.getFileName() + ".tmp");
    Files.writeString(
        temp, r.plain.getAddress().getPort() + " " + r.tls.getAddress().getPort() + "\n");
    Files.move(temp, ports, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join(); // serves until killed
  }

  private static SSLContext selfSigned() throws IOException, GeneralSecurityException {
    TestCertificates.Issued ca = TestCertificates.certificateAuthority("hoist training CA");
    TestCertificates.Issued server = TestCertificates.serverCertificate(ca);
    char[] password = "training".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, password);
    keys.setKeyEntry(
        "server",
        server.keyPair().getPrivate(),
        password,
        new Certificate[] {server.certificate(), ca.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      byte[] body = ex.getRequestBody().readAllBytes();
      Matcher m;
      if (path.equals("/v2/")) {
        reply(ex, 200, "{}".getBytes(StandardCharsets.UTF_8), "application/json", null);
      } else if ((m = UPLOADS.matcher(path)).matches() && method.equals("POST")) {
        String id = Long.toString(nextUpload.incrementAndGet());
        uploads.put(id, new ByteArrayOutputStream());
        ex.getResponseHeaders().set("Location", "/v2/" + m.group(1) + "/blobs/uploads/" + id);
        ex.getResponseHeaders().set("Range", "0-0");
        reply(ex, 202, new byte[0], null, null);
      } else if ((m = UPLOAD.matcher(path)).matches()) {
        upload(ex, method, m.group(1), m.group(2), body);
      } else if ((m = BLOB.matcher(path)).matches()) {
        byte[] blob = blobs.get(m.group(2));
        if (blob == null) {
          reply(ex, 404, error("BLOB_UNKNOWN"), "application/json", null);
        } else {
          reply(ex, 200, blob, "application/octet-stream", m.group(2));
        }
      } else if ((m = MANIFEST.matcher(path)).matches()) {
        manifest(ex, method, m.group(1), m.group(2), body);
      } else {
        reply(ex, 404, error("NAME_UNKNOWN"), "application/json", null);
      }
    }
  }

  private void upload(HttpExchange ex, String method, String name, String id, byte[] body)
      throws IOException {
    ByteArrayOutputStream upload = uploads.get(id);
    if (upload == null) {
      reply(ex, 404, error("BLOB_UPLOAD_UNKNOWN"), "application/json", null);
      return;
    }
    upload.write(body);
    if (method.equals("PUT")) {
      uploads.remove(id);
      byte[] blob = upload.toByteArray();
      String digest = sha256(blob);
      String query = ex.getRequestURI().getQuery();
      if (query == null || !query.contains("digest=" + digest)) {
        reply(ex, 400, error("DIGEST_INVALID"), "application/json", null);
        return;
      }
      blobs.put(digest, blob);
      ex.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/" + digest);
      reply(ex, 201, new byte[0], null, digest);
    } else {
      ex.getResponseHeaders().set("Location", "/v2/" + name + "/blobs/uploads/" + id);
      ex.getResponseHeaders().set("Range", "0-" + Math.max(0, upload.size() - 1));
      reply(ex, 202, new byte[0], null, null);
    }
  }

  private void manifest(HttpExchange ex, String method, String name, String ref, byte[] body)
      throws IOException {
    if (method.equals("PUT")) {
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      String digest = sha256(body);
      Stored stored = new Stored(body, type);
      manifests.put(name + "@" + digest, stored);
      manifests.put(name + ":" + ref, stored);
      ex.getResponseHeaders().set("Location", "/v2/" + name + "/manifests/" + digest);
      reply(ex, 201, new byte[0], null, digest);
      return;
    }
    Stored stored = manifests.get(name + (ref.startsWith("sha256:") ? "@" : ":") + ref);
    if (stored == null) {
      reply(ex, 404, error("MANIFEST_UNKNOWN"), "application/json", null);
    } else {
      reply(ex, 200, stored.bytes(), stored.type(), sha256(stored.bytes()));
    }
  }

  private static void reply(HttpExchange ex, int status, byte[] body, String type, String digest)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    if (digest != null) {
      ex.getResponseHeaders().set("Docker-Content-Digest", digest);
    }
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
    }
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] error(String code) {
    return ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"training registry\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
