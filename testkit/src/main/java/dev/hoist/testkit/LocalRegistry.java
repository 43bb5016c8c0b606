package dev.hoist.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}, Debian's package) on a free
 * {@code 127.0.0.1} port, with a temporary storage directory and deletes enabled. Optional set-ups,
 * combinable: htpasswd basic auth ({@link Builder#htpasswd}), TLS with a CA made in the test
 * ({@link Builder#tls}) and token auth with a {@link TokenIssuer} ({@link Builder#tokenAuth}).
 *
 * <pre>{@code
 * try (LocalRegistry r = LocalRegistry.builder().htpasswd("alice", "s3cret").start()) {
 *   String ref = r.host() + "/team/app:1";   // 127.0.0.1:PORT/team/app:1
 *   ...
 * }
 * }</pre>
 *
 * {@link #start} returns once {@code GET /v2/} answers; {@link #close} kills the process and
 * deletes the directory. For TLS, {@link #certsDir()} is laid out like {@code /etc/docker/certs.d}
 * (a {@code 127.0.0.1:PORT/ca.crt}), so a client can be pointed at it.
 */
public final class LocalRegistry implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final Process process;
  private final Optional<TestCertificates.Issued> ca;
  private final Optional<TokenIssuer> tokenIssuer;
  private final Optional<String> user;
  private final Optional<String> password;

  private LocalRegistry(
      Path dir,
      int port,
      Process process,
      Optional<TestCertificates.Issued> ca,
      Optional<TokenIssuer> tokenIssuer,
      Optional<String> user,
      Optional<String> password) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.ca = ca;
    this.tokenIssuer = tokenIssuer;
    this.user = user;
    this.password = password;
  }

  /** A plain HTTP registry without auth, started. */
  public static LocalRegistry startPlain() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code docker-registry} is on the PATH (for a JUnit assumption). */
  public static boolean available() {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        .anyMatch(p -> Files.isExecutable(Path.of(p, "docker-registry")));
  }

  /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://…} with TLS. */
  public String url() {
    return (ca.isPresent() ? "https://" : "http://") + host();
  }

  public boolean tls() {
    return ca.isPresent();
  }

  /** The CA certificate (PEM) that signed the server certificate, with TLS. */
  public Optional<Path> caCertificate() {
    return ca.map(c -> dir.resolve("certs.d").resolve(host()).resolve("ca.crt"));
  }

  /** A directory shaped like {@code /etc/docker/certs.d} holding this registry's CA, with TLS. */
  public Optional<Path> certsDir() {
    return ca.map(c -> dir.resolve("certs.d"));
  }

  /** The token issuer the registry trusts, with token auth. */
  public Optional<TokenIssuer> tokenIssuer() {
    return tokenIssuer;
  }

  /** The user of the htpasswd file or token issuer, when auth is on. */
  public Optional<String> user() {
    return user;
  }

  public Optional<String> password() {
    return password;
  }

  /** The registry's storage root directory (its {@code docker/registry/v2} tree is below). */
  public Path storage() {
    return dir.resolve("storage");
  }

  /** The registry's log, for a failing test to print. */
  public Path log() {
    return dir.resolve("registry.log");
  }

  /** Kills the registry and deletes its directory. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tokenIssuer.ifPresent(TokenIssuer::close);
    deleteTree(dir);
  }

  @Override
  public void close() {
    stop();
  }

  /** Options of a registry to start. */
  public static final class Builder {
    private Optional<String> user = Optional.empty();
    private Optional<String> password = Optional.empty();
    private boolean htpasswd;
    private boolean tls;
    private boolean clientCerts;
    private Optional<TestCertificates.Issued> client = Optional.empty();
    private boolean token;
    private boolean anonymousPull = true;

    /** Basic auth from an htpasswd file holding {@code user}'s bcrypt ({@code $2y$}) hash. */
    public Builder htpasswd(String user, String password) {
      this.htpasswd = true;
      this.user = Optional.of(user);
      this.password = Optional.of(password);
      return this;
    }

    /** Serve HTTPS with a certificate for 127.0.0.1 signed by a CA made now. */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /**
     * Serve HTTPS (as {@link #tls()}) and demand a client certificate signed by the test CA; one is
     * written as {@code client.cert} / {@code client.key} in {@link LocalRegistry#certsDir()},
     * where Docker looks for it.
     */
    public Builder tlsWithClientCertificates() {
      this.tls = true;
      this.clientCerts = true;
      return this;
    }

    /**
     * Token auth: a {@link TokenIssuer} that knows {@code user}; anonymous callers may pull when
     * {@code anonymousPull}.
     */
    public Builder tokenAuth(String user, String password, boolean anonymousPull) {
      this.token = true;
      this.user = Optional.of(user);
      this.password = Optional.of(password);
      this.anonymousPull = anonymousPull;
      return this;
    }

    /** Starts the registry and waits until {@code GET /v2/} answers. */
    public LocalRegistry start() {
      if (htpasswd && token) {
        throw new IllegalArgumentException("choose htpasswd or token auth, not both");
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("hoist-registry-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        return startIn(dir);
      } catch (RuntimeException e) {
        deleteTree(dir);
        throw e;
      }
    }

    private LocalRegistry startIn(Path dir) {
      Optional<TestCertificates.Issued> ca =
          tls
              ? Optional.of(TestCertificates.certificateAuthority("hoist test CA"))
              : Optional.empty();
      Optional<TokenIssuer> issuer =
          token
              ? Optional.of(
                  new TokenIssuer(dir, "hoist-test-issuer", "hoist-test-registry")
                      .addUser(user.orElseThrow(), password.orElseThrow())
                      .anonymousPull(anonymousPull))
              : Optional.empty();
      try {
        // The port is free when probed; another process may take it before the registry binds,
        // so a start that fails is retried on a new port.
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
          int port = freePort();
          Path config = writeConfig(dir, port, ca, issuer);
          Process p = launch(dir, config);
          try {
            waitUntilUp(p, port, ca, client, dir.resolve("registry.log"));
            return new LocalRegistry(dir, port, p, ca, issuer, user, password);
          } catch (RuntimeException e) {
            p.destroyForcibly();
            last = e;
          }
        }
        throw last;
      } catch (RuntimeException e) {
        issuer.ifPresent(TokenIssuer::close);
        throw e;
      }
    }

    private Path writeConfig(
        Path dir, int port, Optional<TestCertificates.Issued> ca, Optional<TokenIssuer> issuer) {
      StringBuilder y = new StringBuilder();
      y.append("version: 0.1\n");
      y.append("log:\n  level: warn\n  accesslog:\n    disabled: true\n");
      y.append("storage:\n  filesystem:\n    rootdirectory: ")
          .append(dir.resolve("storage"))
          .append('\n');
      y.append("  delete:\n    enabled: true\n");
      y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
      y.append("  secret: hoist-test-secret\n");
      if (ca.isPresent()) {
        TestCertificates.Issued server = TestCertificates.serverCertificate(ca.get());
        Path cert = server.writeCertificate(dir.resolve("tls/cert.pem"));
        Path key = server.writeKey(dir.resolve("tls/key.pem"));
        ca.get()
            .writeCertificate(
                dir.resolve("certs.d").resolve("127.0.0.1:" + port).resolve("ca.crt"));
        if (clientCerts) {
          Path hostDir = dir.resolve("certs.d").resolve("127.0.0.1:" + port);
          TestCertificates.Issued c =
              TestCertificates.clientCertificate(ca.get(), "hoist test client");
          c.writeCertificate(hostDir.resolve("client.cert"));
          c.writeKey(hostDir.resolve("client.key"));
          client = Optional.of(c);
        }
        y.append("  tls:\n    certificate: ").append(cert).append("\n    key: ").append(key);
        y.append('\n');
        if (clientCerts) {
          Path cas = ca.get().writeCertificate(dir.resolve("tls/client-ca.pem"));
          y.append("    clientcas:\n      - ").append(cas).append('\n');
        }
      }
      if (htpasswd) {
        Path file = dir.resolve("htpasswd");
        String hash = OpenBSDBCrypt.generate("2y", password.orElseThrow().toCharArray(), salt(), 5);
        write(file, user.orElseThrow() + ":" + hash + "\n");
        y.append("auth:\n  htpasswd:\n    realm: hoist-test\n    path: ").append(file);
        y.append('\n');
      }
      if (issuer.isPresent()) {
        TokenIssuer t = issuer.get();
        y.append("auth:\n  token:\n    realm: ").append(t.realm());
        y.append("\n    service: ").append(t.service());
        y.append("\n    issuer: ").append(t.issuer());
        y.append("\n    rootcertbundle: ").append(t.rootCertBundle());
        y.append('\n');
      }
      Path config = dir.resolve("config.yml");
      write(config, y.toString());
      return config;
    }

    private static Process launch(Path dir, Path config) {
      try {
        return new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot run docker-registry; install Debian's docker-registry package", e);
      }
    }

    private static void waitUntilUp(
        Process p,
        int port,
        Optional<TestCertificates.Issued> ca,
        Optional<TestCertificates.Issued> client,
        Path log) {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      URI uri = URI.create((ca.isPresent() ? "https" : "http") + "://127.0.0.1:" + port + "/v2/");
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "docker-registry exited with " + p.exitValue() + ": " + tail(log));
        }
        try {
          HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
          if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(trusting(ca.get(), client).getSocketFactory());
          }
          c.setConnectTimeout(500);
          c.setReadTimeout(2000);
          int status = c.getResponseCode();
          c.disconnect();
          if (status == 200 || status == 401) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting docker-registry", e);
        }
      }
      throw new IllegalStateException(
          "docker-registry did not answer GET /v2/ within " + START_TIMEOUT + ": " + tail(log));
    }
  }

  /** An SSL context that trusts only {@code ca}. */
  public static SSLContext trusting(TestCertificates.Issued ca) {
    return trusting(ca, Optional.empty());
  }

  /** An SSL context that trusts only {@code ca} and presents {@code client} when given. */
  public static SSLContext trusting(
      TestCertificates.Issued ca, Optional<TestCertificates.Issued> client) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      javax.net.ssl.KeyManager[] keys = null;
      if (client.isPresent()) {
        KeyStore cks = KeyStore.getInstance("PKCS12");
        cks.load(null, null);
        cks.setKeyEntry(
            "client",
            client.get().keyPair().getPrivate(),
            new char[0],
            new java.security.cert.Certificate[] {client.get().certificate()});
        javax.net.ssl.KeyManagerFactory kmf =
            javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(cks, new char[0]);
        keys = kmf.getKeyManagers();
      }
      ctx.init(keys, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build an SSL context for the test CA", e);
    }
  }

  private static byte[] salt() {
    byte[] s = new byte[16];
    new SecureRandom().nextBytes(s);
    return s;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
