package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Manifest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many blobs a pull fetches at once: as many as the client's parallelism allows, never more.
 * The registry holds each blob request until that many have come (or ten seconds pass) and then 0.3
 * s more: a client that opens fewer fails the count whatever the timing, and one without a bound
 * has opened more by then.
 */
class ParallelPullTest {
  @TempDir Path tmp;

  @Test
  void pull_fetchesExactlyParallelismBlobsAtOnce() throws Exception {
    int parallelism = RegistryClient.DEFAULT_PARALLELISM;
    TestBlobStore remote = new TestBlobStore(tmp.resolve("remote"));
    int[] sizes = new int[parallelism + 4];
    java.util.Arrays.fill(sizes, 20_000);
    Manifest image = TestImages.image(remote, 11, false, "amd64", sizes);
    AtomicInteger open = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger mostOpen = new AtomicInteger();
    Object wave = new Object();

    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.createContext(
        "/v2/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/v2/team/app/manifests/")) {
              send(ex, image.mediaType(), image.raw());
            } else if (path.startsWith("/v2/team/app/blobs/")) {
              int now = open.incrementAndGet();
              mostOpen.accumulateAndGet(now, Math::max);
              synchronized (wave) {
                received.incrementAndGet();
                wave.notifyAll();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() < parallelism && System.nanoTime() < deadline) {
                  wave.wait(100);
                }
                // A while longer, for a client without a bound to open more.
                wave.wait(300);
              }
              Digest d = Digest.parse(path.substring(path.lastIndexOf('/') + 1));
              send(ex, "application/octet-stream", remote.read(d));
              open.decrementAndGet();
            } else {
              send(ex, "application/json", "{}".getBytes());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    try (RegistryClient c =
        RegistryClient.builder()
            .endpoint("registry.test", "http://127.0.0.1:" + server.getAddress().getPort())
            .build()) {
      TestBlobStore local = new TestBlobStore(tmp.resolve("local"));
      c.pull(
          Reference.parse("registry.test/team/app:1"),
          Platform.of("linux", "amd64"),
          local,
          TransferListener.NONE);
      for (Descriptor layer : image.layers()) {
        assertArrayEquals(remote.read(layer.digest()), local.read(layer.digest()));
      }
      assertEquals(parallelism, mostOpen.get(), "blob requests open at once");
      assertEquals(sizes.length + 1, received.get(), "blob requests (layers and config)");
    } finally {
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(body).toString());
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Long.toString(body.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
