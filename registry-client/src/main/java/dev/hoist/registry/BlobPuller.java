package dev.hoist.registry;

import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;

/**
 * {@code GET /v2/<name>/blobs/<digest>} streamed into a {@link BlobSink}, which checks the digest
 * on commit. A download that breaks (connection cut, body shorter than announced) continues with
 * {@code Range: bytes=N-} where it stopped; a registry that ignores the range has the first N bytes
 * skipped instead.
 */
final class BlobPuller {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int BUFFER = 64 * 1024;

  private final Transport transport;
  private final RetryPolicy retry;

  BlobPuller(Transport transport, RetryPolicy retry) {
    this.transport = transport;
    this.retry = retry;
  }

  /**
   * Fetches {@code blob} into {@code sink}.
   *
   * @return the committed descriptor and how many bytes came over the network
   */
  long pull(String registry, String repository, Descriptor blob, BlobSink sink, TransferListener l)
      throws IOException {
    String action = "pull blob " + blob.digest() + " of " + registry + "/" + repository;
    Instant start = Instant.now();
    long fetched = 0;
    int failures = 0;
    try (BlobWriter w = sink.writer(blob.digest(), blob.size())) {
      long already = w.written();
      while (w.written() < blob.size() || blob.size() == 0) {
        long offset = w.written();
        Map<String, String> headers =
            offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        Transport.Exchange ex =
            new Transport.Exchange(
                action,
                registry,
                Scope.pull(repository),
                "GET",
                "/v2/" + repository + "/blobs/" + blob.digest(),
                headers,
                Optional.empty());
        try (Response r = transport.send(ex)) {
          long skip;
          if (r.code() == 200) {
            skip = offset;
          } else if (r.code() == 206 && offset > 0) {
            skip = offset - rangeStart(r, action);
            if (skip < 0) {
              throw new IOException(
                  action
                      + ": the registry resumed at a later byte than asked"
                      + " ("
                      + r.header("Content-Range")
                      + "); try again");
            }
          } else {
            throw RegistryErrors.fromResponse(action, r);
          }
          try (InputStream in = r.body().byteStream()) {
            skipFully(in, skip);
            try {
              copy(in, w, blob, l);
            } catch (TooLongException | LocalWriteException fatal) {
              Transport.abort(r); // before the close, which would read on to keep the connection
              throw fatal;
            }
          } catch (TooLongException | LocalWriteException fatal) {
            throw fatal;
          } catch (IOException broken) {
            if (broken instanceof InterruptedIOException
                && Thread.currentThread().isInterrupted()) {
              throw broken;
            }
            failures++;
            Optional<Duration> pause =
                Transport.nextPause(retry, failures, start, Optional.empty());
            if (pause.isEmpty()) {
              throw RegistryErrors.fromIo(action, "GET", r.request().url(), broken);
            }
            Transport.sleep(pause.get());
            continue;
          }
        }
        if (blob.size() == 0) {
          break;
        }
        if (w.written() < blob.size()) {
          // The body ended early without an error: resume like after a cut.
          failures++;
          Optional<Duration> pause = Transport.nextPause(retry, failures, start, Optional.empty());
          if (pause.isEmpty()) {
            throw new IOException(
                action
                    + ": the registry sent "
                    + w.written()
                    + " of "
                    + blob.size()
                    + " bytes; try again");
          }
          Transport.sleep(pause.get());
        }
      }
      fetched = w.written() - already;
      w.commit(blob.mediaType());
    }
    return fetched;
  }

  /**
   * Copies until the blob's size; more bytes than the descriptor says are an error. The buffer is
   * filled before each write (okhttp hands out at most 8 KiB a read), so that a write hashes and
   * stores 64 KiB at a time, with one progress report; what came before a broken read is written
   * too, for the resume to continue after it.
   */
  private static void copy(InputStream in, BlobWriter w, Descriptor blob, TransferListener l)
      throws IOException {
    byte[] buf = new byte[BUFFER];
    OutputStream out = w.stream();
    while (true) {
      int n = 0;
      IOException broken = null;
      try {
        int r;
        while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
          n += r;
        }
      } catch (IOException e) {
        broken = e;
      }
      if (w.written() + n > blob.size()) {
        throw new TooLongException(
            "pull blob "
                + blob.digest()
                + ": the registry sent more than the "
                + blob.size()
                + " bytes its descriptor says; the registry is broken, nothing was stored");
      }
      if (n > 0) {
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw new LocalWriteException(blob, e);
        }
        l.progress(blob, w.written());
      }
      if (broken != null) {
        throw broken;
      }
      if (n < buf.length) {
        return;
      }
    }
  }

  private static long rangeStart(Response r, String action) throws IOException {
    String cr = r.header("Content-Range");
    Matcher m = cr == null ? null : CONTENT_RANGE.matcher(cr.trim());
    if (m == null || !m.matches()) {
      throw new IOException(action + ": 206 without a valid Content-Range ('" + cr + "')");
    }
    return Long.parseLong(m.group(1));
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    byte[] buf = new byte[BUFFER];
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new java.io.EOFException("stream ended while skipping to the resume offset");
      }
      left -= r;
    }
  }

  /**
   * Writing the blob locally failed (disk full, quota, read-only store): the network is fine, so
   * this is never retried; the message keeps the sink's, which names the file.
   */
  private static final class LocalWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalWriteException(Descriptor blob, IOException cause) {
      super("pull blob " + blob.digest() + ": " + cause.getMessage(), cause);
    }
  }

  /** More bytes than the descriptor's size: never retried. */
  private static final class TooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLongException(String message) {
      super(message);
    }
  }
}
