package dev.hoist.registry;

import dev.hoist.image.BlobSink;
import dev.hoist.image.BlobSource;
import dev.hoist.image.BlobWriter;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Small helpers for moving manifests between sinks and sources, and for parallel transfers. */
final class Blobs {
  private Blobs() {}

  /** Reads a small blob (a manifest) from {@code source}, checking its digest. */
  static byte[] readSmall(BlobSource source, Digest digest, String what) throws IOException {
    long size = source.size(digest);
    if (size > ManifestPuller.MAX_MANIFEST) {
      throw new IOException(what + " " + digest + " is " + size + " bytes, more than 4 MiB");
    }
    byte[] raw;
    try (InputStream in = source.open(digest)) {
      raw = in.readAllBytes();
    }
    Digest actual = Digest.of(digest.algorithm(), digest.newMessageDigest().digest(raw));
    if (!actual.equals(digest)) {
      throw new DigestMismatchException(what + " in the local store", digest, actual, raw.length);
    }
    return raw;
  }

  /** Writes manifest bytes into {@code sink} unless it has them. */
  static void store(BlobSink sink, RemoteManifest m) throws IOException {
    if (sink.contains(m.digest())) {
      return;
    }
    byte[] raw = m.raw();
    try (BlobWriter w = sink.writer(m.digest(), raw.length)) {
      w.stream().write(raw);
      w.commit(m.mediaType());
    }
  }

  /** An action on one blob, run on the transfer pool. */
  @FunctionalInterface
  interface BlobTask<T> {
    T run(Descriptor blob) throws IOException;
  }

  /**
   * Runs {@code task} for every blob on {@code pool} and waits; the first failure is thrown (with
   * the others cancelled).
   */
  static <T> List<T> parallel(ExecutorService pool, List<Descriptor> blobs, BlobTask<T> task)
      throws IOException {
    List<Future<T>> futures = new ArrayList<>();
    for (Descriptor d : blobs) {
      futures.add(pool.submit(() -> task.run(d)));
    }
    List<T> out = new ArrayList<>();
    try {
      for (Future<T> f : futures) {
        out.add(f.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted during transfer");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
    return out;
  }
}
