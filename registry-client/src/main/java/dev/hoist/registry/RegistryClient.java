package dev.hoist.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * A client of the OCI distribution API: pulls images into a {@link BlobSink} and pushes them from a
 * {@link BlobSource}, with auth (anonymous and basic-auth bearer tokens, OAuth2 refresh tokens,
 * Basic), retries, digest checks, mounts and chunked uploads. Thread-safe; one per process is
 * enough. Close it to stop its transfer threads.
 *
 * <pre>{@code
 * try (RegistryClient client = RegistryClient.builder().build()) {
 *   PullResult r = client.pull(Reference.parse("busybox"), Platform.host(), store,
 *       TransferListener.NONE);
 *   store.tag(r.reference(), r.manifestDescriptor());
 * }
 * }</pre>
 */
public final class RegistryClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Settings of a client; see {@link Builder} for what each one means and its default.
   *
   * @param log receives one line per HTTP exchange (method, URL without query, status) for {@code
   *     --debug}; never headers or bodies, so never a secret
   */
  public record Options(
      CredentialProvider credentials,
      Set<String> insecureRegistries,
      boolean tlsVerify,
      boolean loopbackInsecure,
      List<Path> certsDirs,
      RetryPolicy retry,
      int parallelism,
      long chunkSize,
      long monolithicLimit,
      boolean http1Only,
      String userAgent,
      Consumer<String> log,
      Duration timeout,
      Map<String, String> endpoints) {
    public Options {
      Objects.requireNonNull(credentials, "credentials");
      insecureRegistries = Set.copyOf(insecureRegistries);
      certsDirs = List.copyOf(certsDirs);
      Objects.requireNonNull(retry, "retry");
      Objects.requireNonNull(userAgent, "userAgent");
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(timeout, "timeout");
      endpoints = Map.copyOf(endpoints);
      if (parallelism < 1 || chunkSize < 1 || monolithicLimit < 0) {
        throw new IllegalArgumentException(
            "parallelism and chunkSize must be positive, monolithicLimit not negative");
      }
    }
  }

  private final Options options;
  private final OkHttpClient http;
  private final Transport transport;
  private final ExecutorService pool;
  private final ManifestPuller manifests;
  private final ManifestPusher manifestPusher;
  private final BlobPuller blobPuller;
  private final BlobPusher blobPusher;
  private final BlobChecker blobChecker;
  private final OriginHints origins;

  private RegistryClient(Options options) {
    this.options = options;
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(options.timeout())
            .readTimeout(options.timeout())
            .writeTimeout(options.timeout())
            .addInterceptor(SocketReadTimeout.withoutWatchdog())
            .addNetworkInterceptor(
                SocketReadTimeout.onSocket((int) Math.min(options.timeout().toMillis(), 1L << 30)))
            .connectionPool(
                new ConnectionPool(
                    options.parallelism() + 2, 5, java.util.concurrent.TimeUnit.MINUTES))
            // Plain HTTP only: with a TLS spec, OkHttpClient's constructor loads the JDK trust
            // store and an SSLContext (~0.2 s on the main thread), which a loopback or insecure
            // plain-HTTP registry never needs. Transport adds TLS per HTTPS host, on first use.
            .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
    if (options.http1Only()) {
      b.protocols(List.of(Protocol.HTTP_1_1));
    }
    this.http = b.build();
    this.transport = new Transport(http, options);
    DigestWarmup.start();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "hoist-transfer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.pool = Executors.newFixedThreadPool(options.parallelism(), tf);
    this.manifests = new ManifestPuller(transport);
    this.manifestPusher = new ManifestPusher(transport);
    this.blobPuller = new BlobPuller(transport, options.retry());
    this.blobPusher =
        new BlobPusher(transport, options.retry(), options.chunkSize(), options.monolithicLimit());
    this.blobChecker = new BlobChecker(transport);
    this.origins = new OriginHints(options.log());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Options options() {
    return options;
  }

  /**
   * Fetches the manifest or index {@code ref} names (tag or digest), with its digest checked.
   *
   * @throws RegistryException e.g. with {@code MANIFEST_UNKNOWN} when there is none
   */
  public RemoteManifest fetchManifest(Reference ref) throws IOException {
    return manifests.fetch(Objects.requireNonNull(ref, "ref"));
  }

  /** The descriptor of {@code ref}'s manifest by {@code HEAD}, empty when the registry has none. */
  public Optional<Descriptor> headManifest(Reference ref) throws IOException {
    return manifests.head(Objects.requireNonNull(ref, "ref"));
  }

  /**
   * Pulls {@code ref} for {@code platform} (chosen from an index when the reference names one) into
   * {@code sink}: manifest (and index) bytes, config and layers, layers in parallel; blobs the sink
   * already has are skipped. When the sink is also a {@link BlobSource}, a tag is resolved by
   * {@code HEAD} first and a manifest already stored is not fetched again. When it is a {@link
   * dev.hoist.image.BlobOrigins}, the repository is recorded as the origin of every blob.
   */
  public PullResult pull(Reference ref, Platform platform, BlobSink sink, TransferListener listener)
      throws IOException {
    return new ImagePuller(manifests, blobPuller, pool, origins)
        .pull(
            Objects.requireNonNull(ref, "ref"),
            Objects.requireNonNull(platform, "platform"),
            Objects.requireNonNull(sink, "sink"),
            Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Pulls everything {@code ref} names into {@code sink}, as {@code skopeo copy --all} does: an
   * index (OCI image index or Docker manifest list) with every manifest it lists, and each one's
   * config and layers; or one manifest with its blobs. Index and manifest bytes are kept as served
   * (same digests); every blob is fetched and checked before any manifest is stored, the index
   * last, so a failed pull leaves nothing that names a missing blob.
   */
  public PullAllResult pullAll(Reference ref, BlobSink sink, TransferListener listener)
      throws IOException {
    return new ImagePuller(manifests, blobPuller, pool, origins)
        .pullAll(
            Objects.requireNonNull(ref, "ref"),
            Objects.requireNonNull(sink, "sink"),
            Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Pushes the image or index {@code root} from {@code source} to {@code target}: blobs (layers in
   * parallel, then the config), then each manifest, then the root by {@code target}'s tag (or
   * digest). A blob is mounted instead of uploaded from {@code mountFrom} (a repository of the same
   * registry the blobs came from) or from the repositories of that registry the source knows it in,
   * when the source is a {@link dev.hoist.image.BlobOrigins}; the target is then recorded as an
   * origin of every blob.
   *
   * @return the descriptor of what {@code target} now names
   */
  public Descriptor push(
      Reference target,
      Descriptor root,
      BlobSource source,
      Optional<String> mountFrom,
      TransferListener listener)
      throws IOException {
    return new ImagePusher(blobPusher, manifestPusher, pool, origins)
        .push(
            Objects.requireNonNull(target, "target"),
            Objects.requireNonNull(root, "root"),
            Objects.requireNonNull(source, "source"),
            Objects.requireNonNull(mountFrom, "mountFrom"),
            Objects.requireNonNull(listener, "listener"));
  }

  /** Whether {@code repository} (its registry and repository; tag ignored) has {@code digest}. */
  public boolean blobExists(Reference repository, Digest digest) throws IOException {
    return blobChecker.exists(
        repository.registry(),
        repository.repository(),
        digest,
        Scope.pull(repository.repository()));
  }

  /**
   * Fetches one blob into {@code sink} (recording its origin there, as {@link #pull} does); returns
   * the bytes fetched over the network.
   */
  public long pullBlob(Reference repository, Descriptor blob, BlobSink sink, TransferListener l)
      throws IOException {
    String registry = repository.registry();
    String name = repository.repository();
    long n = blobPuller.pull(registry, name, blob, sink, l);
    origins.record(sink, blob.digest(), registry, name);
    return n;
  }

  /** Pushes one blob (HEAD, mount as {@link #push} does, upload) and says what happened. */
  public TransferListener.Outcome pushBlob(
      Reference repository,
      Descriptor blob,
      BlobSource source,
      Optional<String> mountFrom,
      TransferListener l)
      throws IOException {
    String registry = repository.registry();
    String name = repository.repository();
    TransferListener.Outcome o =
        blobPusher.push(
            registry,
            name,
            blob,
            source,
            origins.mountSources(source, blob.digest(), registry, name, mountFrom),
            l);
    origins.record(source, blob.digest(), registry, name);
    return o;
  }

  /** Puts manifest or index bytes as {@code ref}'s tag (or digest). */
  public Digest putManifest(Reference ref, String mediaType, byte[] raw) throws IOException {
    return manifestPusher.put(ref, ref.tag().orElse(ref.identifier()), mediaType, raw);
  }

  /** The tags of {@code repository}, following {@code Link} pagination. */
  public List<String> listTags(Reference repository) throws IOException {
    List<String> tags = new ArrayList<>();
    String target = "/v2/" + repository.repository() + "/tags/list";
    String action = "list the tags of " + repository.name();
    for (int page = 0; target != null && page < 1000; page++) {
      Transport.Exchange ex =
          Transport.Exchange.get(
              action, repository.registry(), Scope.pull(repository.repository()), target);
      try (Response r = transport.expect(ex, Set.of(200))) {
        JsonNode n = JSON.readTree(r.body().bytes());
        n.path("tags").forEach(t -> tags.add(t.asText()));
        String link = r.header("Link");
        target = link == null ? null : nextLink(r, link);
      }
    }
    return tags;
  }

  /**
   * Checks that the configured credentials are accepted by {@code registry} ({@code host[:port]} or
   * {@code docker.io}): {@code GET /v2/}, answering its challenge.
   *
   * @throws RegistryException with status 401 when they are not
   */
  public void checkLogin(String registry) throws IOException {
    Objects.requireNonNull(registry, "registry");
    String action = "log in to " + registry;
    Transport.Exchange ex = Transport.Exchange.get(action, registry, Scope.NONE, "/v2/");
    try (Response r = transport.send(ex)) {
      if (r.code() == 200) {
        return;
      }
      throw RegistryErrors.fromResponse(action, r);
    }
  }

  private static String nextLink(Response r, String link) {
    int lt = link.indexOf('<');
    int gt = link.indexOf('>');
    if (lt < 0 || gt < lt || !link.contains("rel=\"next\"")) {
      return null;
    }
    okhttp3.HttpUrl next = r.request().url().resolve(link.substring(lt + 1, gt));
    return next == null ? null : next.toString();
  }

  /**
   * Stops the transfer threads and waits (up to ten seconds) for them to end: after a failed
   * transfer, the others are interrupted, and none of them may still write into a store the caller
   * is about to close.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    // An interrupt does not stop a blocking socket read; cancelling the calls does.
    http.dispatcher().cancelAll();
    try {
      pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.connectionPool().evictAll();
  }

  /**
   * Blobs moved at once by default: 6, as skopeo and Buildah (containers/image). Docker's 3 left
   * the fourth layer of a 4-layer image to download alone at the end: a 200 MB pull took 1.02 s
   * against 0.92-0.94 s with 4 or 6 (and skopeo's 0.99). A push, which the registry's writes bound,
   * is the same with 3 or 6.
   */
  public static final int DEFAULT_PARALLELISM = 6;

  /** Builds a {@link RegistryClient}; every setting has a default. */
  public static final class Builder {
    private CredentialProvider credentials = CredentialProvider.ANONYMOUS;
    private Set<String> insecure = Set.of();
    private boolean tlsVerify = true;
    private boolean loopbackInsecure = true;
    private List<Path> certsDirs = defaultCertsDirs();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private int parallelism = DEFAULT_PARALLELISM;
    private long chunkSize = 4L * 1024 * 1024;
    private long monolithicLimit = 1L << 30;
    private boolean http1Only = true;
    private String userAgent = "hoist/0.1";
    private Consumer<String> log = s -> {};
    private Duration timeout = Duration.ofSeconds(60);
    private final Map<String, String> endpoints = new java.util.HashMap<>();

    /** Where credentials come from; default none (anonymous). Use {@link DockerCredentials}. */
    public Builder credentials(CredentialProvider v) {
      this.credentials = Objects.requireNonNull(v);
      return this;
    }

    /** Hosts ({@code host} or {@code host:port}) reached without TLS verification or over HTTP. */
    public Builder insecureRegistries(Set<String> v) {
      this.insecure = Set.copyOf(v);
      return this;
    }

    /** {@code false} skips TLS verification for every registry (and allows plain HTTP). */
    public Builder tlsVerify(boolean v) {
      this.tlsVerify = v;
      return this;
    }

    /** Whether {@code localhost} and 127.0.0.0/8 count as insecure, as in Docker (default). */
    public Builder loopbackInsecure(boolean v) {
      this.loopbackInsecure = v;
      return this;
    }

    /** Directories shaped like {@code /etc/docker/certs.d}; default Docker's and containers'. */
    public Builder certsDirs(List<Path> v) {
      this.certsDirs = List.copyOf(v);
      return this;
    }

    public Builder retry(RetryPolicy v) {
      this.retry = Objects.requireNonNull(v);
      return this;
    }

    /** Blobs moved at once; default {@link #DEFAULT_PARALLELISM}. */
    public Builder parallelism(int v) {
      this.parallelism = v;
      return this;
    }

    /**
     * Blobs larger than this are uploaded in {@code PATCH} chunks of this size (default 4 MiB,
     * within ghcr.io's limit on a request body); smaller ones in one {@code PUT}.
     */
    public Builder chunkSize(long v) {
      this.chunkSize = v;
      return this;
    }

    /**
     * Blobs up to this size go in one {@code PUT} (fastest: one request); larger ones in chunks of
     * {@link #chunkSize} that resume after a broken connection. Default 1 GiB; ghcr.io, which caps
     * a request body at 4 MiB, always gets chunks.
     */
    public Builder monolithicLimit(long v) {
      this.monolithicLimit = v;
      return this;
    }

    /**
     * HTTP/1.1 only (the default, as skopeo's): a connection per blob, so that parallel transfers
     * decrypt TLS on their own threads. With HTTP/2 every blob shares one connection, whose frames
     * one reader thread decrypts: a 200 MB pull over TLS took 2.2 s instead of 1.7 s. False lets
     * okhttp negotiate HTTP/2.
     */
    public Builder http1Only(boolean v) {
      this.http1Only = v;
      return this;
    }

    public Builder userAgent(String v) {
      this.userAgent = Objects.requireNonNull(v);
      return this;
    }

    /** Receives one line per HTTP exchange, without secrets; default nothing. */
    public Builder log(Consumer<String> v) {
      this.log = Objects.requireNonNull(v);
      return this;
    }

    /** Connect, read and write timeout of each request; default 60 s. */
    public Builder timeout(Duration v) {
      this.timeout = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Sends requests for {@code registry} (as references name it, e.g. {@code docker.io}) to {@code
     * baseUrl} instead (e.g. {@code https://mirror.example.com} or a test double); credentials are
     * still looked up under {@code registry}.
     */
    public Builder endpoint(String registry, String baseUrl) {
      endpoints.put(Objects.requireNonNull(registry), Objects.requireNonNull(baseUrl));
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(
          new Options(
              credentials,
              insecure,
              tlsVerify,
              loopbackInsecure,
              certsDirs,
              retry,
              parallelism,
              chunkSize,
              monolithicLimit,
              http1Only,
              userAgent,
              log,
              timeout,
              endpoints));
    }

    private static List<Path> defaultCertsDirs() {
      List<Path> dirs =
          new ArrayList<>(
              List.of(Path.of("/etc/docker/certs.d"), Path.of("/etc/containers/certs.d")));
      String home = System.getProperty("user.home");
      if (home != null) {
        dirs.add(Path.of(home, ".config", "containers", "certs.d"));
      }
      return dirs;
    }
  }
}
