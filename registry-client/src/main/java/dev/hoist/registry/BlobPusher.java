package dev.hoist.registry;

import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Pushes one blob: {@code HEAD} to skip what the registry has, a cross-repository mount when the
 * blob is known in other repositories of the same registry (each tried in turn until one mounts; a
 * 202 turns into an upload, 400, 401, 403 or 404 to the next source), then a monolithic upload
 * ({@code POST} then {@code PUT}) for blobs up to the chunk size, or a chunked one ({@code PATCH}
 * with {@code Content-Range}) that resumes from the registry's {@code Range} after a broken
 * connection. Bytes are streamed from the source, never held in memory, and read to the source's
 * end before the last of them is sent: a store that verifies its blobs as they are read (hoist's
 * does) fails the push of a corrupt blob before the registry has all of its bytes.
 */
final class BlobPusher {
  private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(\\d+)");
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");

  /**
   * Bytes per read from the source and write to the connection: okio's segment pool keeps 64 KiB,
   * so a larger write took new 8 KiB segments from the heap for its rest (a profile showed
   * SegmentPool.take at 11% of a push's transfer CPU, and a young collection per 100 MB).
   */
  private static final int BUFFER = 64 * 1024;

  private final Transport transport;
  private final BlobChecker checker;
  private final RetryPolicy retry;
  private final long chunkSize;
  private final long monolithicLimit;

  /** Registries known to refuse request bodies over 4 MiB: always chunked there. */
  private static final Set<String> SMALL_BODIES = Set.of("ghcr.io");

  BlobPusher(Transport transport, RetryPolicy retry, long chunkSize, long monolithicLimit) {
    this.transport = transport;
    this.checker = new BlobChecker(transport);
    this.retry = retry;
    this.chunkSize = chunkSize;
    this.monolithicLimit = monolithicLimit;
  }

  TransferListener.Outcome push(
      String registry,
      String repository,
      Descriptor blob,
      BlobSource source,
      List<String> mountFrom,
      TransferListener l)
      throws IOException {
    String action = "push blob " + blob.digest() + " to " + registry + "/" + repository;
    List<String> from = mountFrom.stream().filter(f -> !f.equals(repository)).distinct().toList();
    // One token for the HEAD and the first mount; other sources get theirs when tried.
    Scope scope = from.isEmpty() ? Scope.push(repository) : Scope.mount(repository, from.get(0));
    if (checker.exists(registry, repository, blob.digest(), scope)) {
      return TransferListener.Outcome.ALREADY_EXISTS;
    }
    if (!source.contains(blob.digest())) {
      throw new IOException(
          action
              + ": the blob is not in the local store; pull the image"
              + " again or run hoist fsck");
    }
    Instant start = Instant.now();
    int attempt = 0;
    boolean tryMount = !from.isEmpty();
    while (true) {
      attempt++;
      try {
        Session s;
        if (tryMount) {
          tryMount = false;
          Optional<Session> mounted = mount(action, registry, repository, blob, from);
          if (mounted.isEmpty()) {
            return TransferListener.Outcome.MOUNTED;
          }
          s = mounted.get();
        } else {
          s = start(action, registry, repository, Scope.push(repository));
        }
        long limit = SMALL_BODIES.contains(registry) ? chunkSize : monolithicLimit;
        if (blob.size() <= Math.max(limit, s.minChunk())) {
          monolithic(action, registry, scope, s, blob, source, l);
        } else {
          chunked(action, registry, scope, s, blob, source, l);
        }
        return TransferListener.Outcome.UPLOADED;
      } catch (RegistryException e) {
        // A 401 on a one-shot body (token expired mid-push) is retried once from a new session.
        boolean again = e.retryable() || (attempt == 1 && e.status().orElse(0) == 401);
        Optional<Duration> pause =
            again ? Transport.nextPause(retry, attempt, start, Optional.empty()) : Optional.empty();
        if (pause.isEmpty()) {
          throw e;
        }
        Transport.sleep(pause.get());
      }
    }
  }

  /** An upload session: where to send bytes, and the registry's minimum chunk. */
  private record Session(String location, long minChunk) {}

  /**
   * Empty when the registry mounted the blob from one of {@code sources}; else the upload session
   * it opened instead (a 202) or a fresh one.
   */
  private Optional<Session> mount(
      String action, String registry, String repository, Descriptor blob, List<String> sources)
      throws IOException {
    for (String from : sources) {
      HttpUrl url =
          transport
              .resolve(registry, "/v2/" + repository + "/blobs/uploads/")
              .newBuilder()
              .addQueryParameter("mount", blob.digest().toString())
              .addQueryParameter("from", from)
              .build();
      Transport.Exchange ex =
          new Transport.Exchange(
              action,
              registry,
              Scope.mount(repository, from),
              "POST",
              url.toString(),
              Map.of(),
              Optional.empty());
      try (Response r = transport.send(ex)) {
        switch (r.code()) {
          case 201:
            return Optional.empty();
          case 202:
            return Optional.of(session(action, registry, r));
          case 400, 401, 403, 404:
            break; // not there, or not ours to read: the next source
          default:
            throw RegistryErrors.fromResponse(action + " (mount from " + from + ")", r);
        }
      }
    }
    return Optional.of(start(action, registry, repository, Scope.push(repository)));
  }

  private Session start(String action, String registry, String repository, Scope scope)
      throws IOException {
    Transport.Exchange ex =
        new Transport.Exchange(
            action,
            registry,
            scope,
            "POST",
            "/v2/" + repository + "/blobs/uploads/",
            Map.of(),
            Optional.empty());
    try (Response r = transport.expect(ex, Set.of(202))) {
      return session(action, registry, r);
    }
  }

  private Session session(String action, String registry, Response r) throws IOException {
    String location = r.header("Location");
    if (location == null) {
      throw new IOException(action + ": the registry opened an upload without a Location header");
    }
    long min = 0;
    String m = r.header("OCI-Chunk-Min-Length");
    if (m != null) {
      try {
        min = Long.parseLong(m.trim());
      } catch (NumberFormatException ignored) {
        // a malformed hint is no reason to fail; chunks stay at our size
      }
    }
    return new Session(r.request().url().resolve(location).toString(), min);
  }

  private void monolithic(
      String action,
      String registry,
      Scope scope,
      Session s,
      Descriptor blob,
      BlobSource source,
      TransferListener l)
      throws IOException {
    HttpUrl put =
        HttpUrl.get(s.location())
            .newBuilder()
            .addQueryParameter("digest", blob.digest().toString())
            .build();
    try (InputStream in = source.open(blob.digest())) {
      StreamBody body = new StreamBody(in, blob, 0, blob.size(), l);
      Transport.Exchange ex =
          new Transport.Exchange(
              action,
              registry,
              scope,
              "PUT",
              put.toString(),
              Map.of("Content-Type", "application/octet-stream"),
              Optional.of(new Transport.Body(() -> body, false)));
      try (Response r = body.send(transport, ex)) {
        if (r.code() != 201) {
          throw RegistryErrors.fromResponse(action, r);
        }
        checkDigest(action, r, blob);
      }
    }
  }

  private void chunked(
      String action,
      String registry,
      Scope scope,
      Session s,
      Descriptor blob,
      BlobSource source,
      TransferListener l)
      throws IOException {
    long chunk = Math.max(chunkSize, s.minChunk());
    String location = s.location();
    long offset = 0;
    int failures = 0;
    Instant start = Instant.now();
    InputStream in = source.open(blob.digest());
    try {
      while (offset < blob.size()) {
        long len = Math.min(chunk, blob.size() - offset);
        StreamBody body = new StreamBody(in, blob, offset, len, l);
        Transport.Exchange ex =
            new Transport.Exchange(
                action,
                registry,
                scope,
                "PATCH",
                location,
                Map.of(
                    "Content-Type",
                    "application/octet-stream",
                    "Content-Range",
                    offset + "-" + (offset + len - 1)),
                Optional.of(new Transport.Body(() -> body, false)));
        try (Response r = body.send(transport, ex)) {
          if (r.code() == 202) {
            long expected = offset + len;
            String next = r.header("Location");
            location = next == null ? location : r.request().url().resolve(next).toString();
            long kept = rangeEnd(r).map(e -> e + 1).orElse(expected);
            if (kept != expected) {
              // the registry kept other than what was sent: continue from what it has
              in.close();
              in = reopen(source, blob, kept);
            }
            offset = kept;
            continue;
          }
          if (!(r.code() == 416 || r.code() == 401 || RegistryErrors.retryableStatus(r.code()))) {
            throw RegistryErrors.fromResponse(action, r);
          }
        } catch (RegistryException e) {
          if (!e.retryable()) {
            throw e;
          }
        }
        // The chunk failed: ask the registry how much it has and continue from there.
        failures++;
        Optional<Duration> pause = Transport.nextPause(retry, failures, start, Optional.empty());
        if (pause.isEmpty()) {
          throw new RegistryException(
              action + ": the upload kept failing at byte " + offset + "; try again",
              java.util.OptionalInt.empty(),
              "PATCH",
              RegistryErrors.safeUrl(HttpUrl.get(location)),
              java.util.List.of(),
              true,
              null);
        }
        Transport.sleep(pause.get());
        Status st;
        try {
          st = status(action, registry, scope, location);
        } catch (RegistryException lost) {
          // distribution drops a session whose bytes no longer match its state: start afresh.
          throw new RegistryException(
              action + ": the registry lost the upload session (" + lost.getMessage() + ")",
              lost.status(),
              lost.method(),
              lost.url(),
              lost.codes(),
              true,
              lost);
        }
        location = st.location();
        offset = st.next();
        in.close();
        in = reopen(source, blob, offset);
      }
    } finally {
      in.close();
    }
    HttpUrl put =
        HttpUrl.get(location)
            .newBuilder()
            .addQueryParameter("digest", blob.digest().toString())
            .build();
    Transport.Exchange ex =
        new Transport.Exchange(
            action, registry, scope, "PUT", put.toString(), Map.of(), Optional.empty());
    try (Response r = transport.expect(ex, Set.of(201))) {
      checkDigest(action, r, blob);
    }
  }

  private record Status(String location, long next) {}

  /** {@code GET} on the upload URL: 204 with {@code Range: 0-N} says N+1 bytes are kept. */
  private Status status(String action, String registry, Scope scope, String location)
      throws IOException {
    Transport.Exchange ex =
        new Transport.Exchange(
            action + " (upload status)",
            registry,
            scope,
            "GET",
            location,
            Map.of(),
            Optional.empty());
    try (Response r = transport.expect(ex, Set.of(204, 202))) {
      String loc = r.header("Location");
      String next = loc == null ? location : r.request().url().resolve(loc).toString();
      return new Status(next, rangeEnd(r).map(e -> e + 1).orElse(0L));
    }
  }

  private static Optional<Long> rangeEnd(Response r) {
    String range = r.header("Range");
    if (range == null) {
      return Optional.empty();
    }
    Matcher m = RANGE.matcher(range.trim());
    return m.matches() ? Optional.of(Long.parseLong(m.group(2))) : Optional.empty();
  }

  private static InputStream reopen(BlobSource source, Descriptor blob, long offset)
      throws IOException {
    InputStream in = source.open(blob.digest());
    long left = offset;
    while (left > 0) {
      long n = in.skip(left);
      if (n <= 0) {
        if (in.read() < 0) {
          in.close();
          throw new IOException("blob " + blob.digest() + " is shorter than " + offset + " bytes");
        }
        n = 1;
      }
      left -= n;
    }
    return in;
  }

  private static void checkDigest(String action, Response r, Descriptor blob) throws IOException {
    String d = r.header("Docker-Content-Digest");
    if (d != null && !d.equals(blob.digest().toString())) {
      throw new IOException(
          action
              + ": the registry stored the blob as "
              + d
              + "; the upload was corrupted on the way, try again");
    }
  }

  /**
   * {@code length} bytes of a shared stream, sent once. The piece that ends the blob reads the
   * stream to its end before its last bytes go out, so that a verifying source checks the digest
   * while the registry still lacks part of the blob.
   */
  private static final class StreamBody extends RequestBody {
    private final InputStream in;
    private final Descriptor blob;
    private final long offset;
    private final long length;
    private final TransferListener listener;

    /** Why reading the source failed for good, if it did: reported whatever HTTP made of it. */
    private volatile IOException sourceFailure;

    StreamBody(InputStream in, Descriptor blob, long offset, long length, TransferListener l) {
      this.in = in;
      this.blob = blob;
      this.offset = offset;
      this.length = length;
      this.listener = l;
    }

    @Override
    public MediaType contentType() {
      return OCTETS;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public boolean isOneShot() {
      return true;
    }

    /**
     * Sends {@code ex} with this body; when reading the source failed for good, that failure is
     * thrown (never retried), not the broken request it caused.
     */
    Response send(Transport transport, Transport.Exchange ex) throws IOException {
      Response r;
      try {
        r = transport.send(ex);
      } catch (IOException e) {
        throw sourceFailure != null ? sourceFailure : e;
      }
      if (sourceFailure != null) {
        r.close();
        throw sourceFailure;
      }
      return r;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      byte[] buf = new byte[BUFFER];
      long left = length;
      boolean last = offset + length == blob.size();
      while (left > 0) {
        int n = readSource(buf, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw fail(
              new IOException(
                  "blob "
                      + blob.digest()
                      + " in the local store ended "
                      + left
                      + " bytes early; it is damaged, run 'hoist fsck'"));
        }
        if (last && n == left && readSource(buf, 0) >= 0) {
          // Unreachable for the store (size and digest are checked), possible for other sources.
          throw fail(
              new IOException(
                  "blob "
                      + blob.digest()
                      + " in the local store is longer than its "
                      + blob.size()
                      + " bytes; it is damaged, run 'hoist fsck'"));
        }
        sink.write(buf, 0, n);
        left -= n;
        listener.progress(blob, offset + (length - left));
      }
      if (length == 0 && last) {
        readSource(buf, 0);
      }
    }

    /**
     * Reads from the source; {@code len} 0 reads to its end, where a verifying stream checks the
     * digest. A failure there, or a digest mismatch anywhere, is final; any other read error (a
     * disk hiccup) breaks only this request, and a chunked upload resumes after it.
     */
    private int readSource(byte[] buf, int len) throws IOException {
      try {
        if (len == 0) {
          return in.read();
        }
        return in.read(buf, 0, len);
      } catch (DigestMismatchException e) {
        throw fail(e);
      } catch (IOException e) {
        throw len == 0 ? fail(e) : e;
      }
    }

    private IOException fail(IOException e) {
      if (sourceFailure == null) {
        sourceFailure = e;
      }
      return e;
    }
  }
}
