package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.testkit.LocalRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pull, push, mount, chunked upload and resume against a real distribution registry in four
 * set-ups: plain HTTP, htpasswd basic auth, TLS with a test CA, and token auth.
 */
class RealRegistryTest {
  enum Setup {
    PLAIN,
    BASIC,
    TLS,
    TOKEN
  }

  private static final int CHUNK = 64 * 1024;
  private static final Map<Setup, LocalRegistry> REGISTRIES = new EnumMap<>(Setup.class);

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistries() {
    REGISTRIES.put(Setup.PLAIN, LocalRegistry.startPlain());
    REGISTRIES.put(Setup.BASIC, LocalRegistry.builder().htpasswd("alice", "wonder-land").start());
    REGISTRIES.put(Setup.TLS, LocalRegistry.builder().tls().start());
    REGISTRIES.put(
        Setup.TOKEN, LocalRegistry.builder().tokenAuth("bob", "b0b-secret", true).start());
  }

  @AfterAll
  static void stopRegistries() {
    REGISTRIES.values().forEach(LocalRegistry::close);
  }

  static RegistryClient.Builder clientFor(LocalRegistry r, List<String> log) {
    RegistryClient.Builder b =
        RegistryClient.builder()
            .chunkSize(CHUNK)
            .monolithicLimit(CHUNK)
            .retry(
                new RetryPolicy(
                    4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(20)))
            .log(log::add);
    if (r.user().isPresent()) {
      b.credentials(
          CredentialProvider.of(Credential.password(r.user().get(), r.password().orElseThrow())));
    }
    if (r.tls()) {
      // verify against the test CA only: no loopback leniency
      b.certsDirs(List.of(r.certsDir().orElseThrow())).loopbackInsecure(false);
    }
    return b;
  }

  private static final class Recorder implements TransferListener {
    final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void finished(Descriptor blob, Outcome outcome) {
      outcomes.add(outcome);
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void pushThenPull_roundTripsEveryByte(Setup setup) throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    // 10 KiB goes in one PUT; 300 KiB in five PATCH chunks
    Manifest m = TestImages.image(src, 1, true, "amd64", 10_000, 300_000);
    Reference ref = Reference.parse(r.host() + "/team/app:v1");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (RegistryClient c = clientFor(r, log).build()) {
      c.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      assertTrue(log.stream().anyMatch(l -> l.startsWith("PATCH ")), "chunked upload used");

      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      PullResult pulled = c.pull(ref, Platform.of("linux", "amd64"), dst, TransferListener.NONE);
      assertArrayEquals(m.raw(), pulled.manifest().raw());
      for (Descriptor d : m.layers()) {
        assertArrayEquals(src.read(d.digest()), dst.read(d.digest()));
      }
      assertArrayEquals(src.read(m.config().digest()), dst.read(m.config().digest()));
      assertArrayEquals(m.raw(), dst.read(m.digest()));
      assertEquals(
          m.layers().stream().mapToLong(Descriptor::size).sum() + m.config().size(),
          pulled.bytesDownloaded());
      assertArrayEquals(m.raw(), c.fetchManifest(ref).raw());
      assertEquals(List.of("v1"), c.listTags(ref));
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void pull_skipsBlobsTheSinkHasAndResumesAPartialOneWithRange(Setup setup) throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 2, false, "amd64", 50_000, 200_000);
    Reference ref = Reference.parse(r.host() + "/resume/app:1");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (RegistryClient c = clientFor(r, log).build()) {
      c.push(ref, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      Descriptor big = m.layers().get(1);
      byte[] all = src.read(big.digest());
      dst.partial(big.digest(), java.util.Arrays.copyOf(all, 150_000));
      dst.put(m.layers().get(0).mediaType(), src.read(m.layers().get(0).digest()));
      PullResult p = c.pull(ref, Platform.host(), dst, TransferListener.NONE);
      assertEquals(big.size() - 150_000 + m.config().size(), p.bytesDownloaded());
      assertArrayEquals(all, dst.read(big.digest()));
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void push_mountsBlobsFromAnotherRepositoryOfTheRegistry(Setup setup) throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 3, true, "amd64", 20_000, 30_000);
    Reference a = Reference.parse(r.host() + "/mount/source:1");
    Reference b = Reference.parse(r.host() + "/mount/target:1");
    try (RegistryClient c = clientFor(r, new ArrayList<>()).build()) {
      c.push(a, m.descriptor(), src, Optional.empty(), TransferListener.NONE);
      Recorder rec = new Recorder();
      c.push(b, m.descriptor(), src, Optional.of("mount/source"), rec);
      assertEquals(
          List.of(
              TransferListener.Outcome.MOUNTED,
              TransferListener.Outcome.MOUNTED,
              TransferListener.Outcome.MOUNTED),
          rec.outcomes);
      Recorder again = new Recorder();
      c.push(b, m.descriptor(), src, Optional.empty(), again);
      assertTrue(
          again.outcomes.stream().allMatch(o -> o == TransferListener.Outcome.ALREADY_EXISTS));
      assertArrayEquals(m.raw(), c.fetchManifest(b).raw());
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void push_resumesAChunkedUploadFromTheRegistrysRangeAfterABrokenStream(Setup setup)
      throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Manifest m = TestImages.image(src, 4, false, "amd64", 5 * CHUNK + 123);
    Digest layer = m.layers().get(0).digest();
    BlobSource breaking = breakOnceAt(src, layer, 2L * CHUNK);
    Reference ref = Reference.parse(r.host() + "/chunked/app:1");
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    try (RegistryClient c = clientFor(r, log).build()) {
      c.push(ref, m.descriptor(), breaking, Optional.empty(), TransferListener.NONE);
      // one session per blob (layer, config): the status GET found 2 chunks kept and the layer's
      // upload went on from there instead of starting again
      assertEquals(
          2,
          log.stream().filter(l -> l.startsWith("POST ") && l.contains("/uploads/ ")).count(),
          log.toString());
      assertTrue(
          log.stream().anyMatch(l -> l.startsWith("GET ") && l.contains("/blobs/uploads/")),
          log.toString());
      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      c.pull(ref, Platform.host(), dst, TransferListener.NONE);
      assertArrayEquals(src.read(layer), dst.read(layer));
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void pushAndPullAnIndex_choosesThePlatform(Setup setup) throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    TestBlobStore src = new TestBlobStore(tmp.resolve("src"));
    Index idx = TestImages.index(src, 5);
    Reference ref = Reference.parse(r.host() + "/multi/app:1");
    try (RegistryClient c = clientFor(r, new ArrayList<>()).build()) {
      c.push(ref, idx.descriptor(), src, Optional.empty(), TransferListener.NONE);
      TestBlobStore dst = new TestBlobStore(tmp.resolve("dst"));
      PullResult p = c.pull(ref, Platform.parse("linux/arm64"), dst, TransferListener.NONE);
      assertEquals(idx.manifests().get(1).digest(), p.manifest().digest());
      assertEquals(Optional.of(idx), p.index());
      assertArrayEquals(idx.raw(), dst.read(idx.digest()));
      assertFalse(dst.contains(idx.manifests().get(0).digest()));
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void pull_ofAnUnknownImageSaysSoInOneLine(Setup setup) throws IOException {
    LocalRegistry r = REGISTRIES.get(setup);
    try (RegistryClient c = clientFor(r, new ArrayList<>()).build()) {
      RegistryException e =
          assertThrows(
              RegistryException.class,
              () ->
                  c.pull(
                      Reference.parse(r.host() + "/no/such:thing"),
                      Platform.host(),
                      new TestBlobStore(tmp),
                      TransferListener.NONE));
      assertEquals(404, e.status().getAsInt());
      assertTrue(e.hasCode("NAME_UNKNOWN") || e.hasCode("MANIFEST_UNKNOWN"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
      assertTrue(e.getMessage().contains("check"), e.getMessage());
    }
  }

  /** A source whose first stream of {@code digest} fails when reading reaches {@code at}. */
  static BlobSource breakOnceAt(TestBlobStore store, Digest digest, long at) {
    AtomicBoolean broken = new AtomicBoolean();
    return new BlobSource() {
      @Override
      public boolean contains(Digest d) {
        return store.contains(d);
      }

      @Override
      public long size(Digest d) throws IOException {
        return store.size(d);
      }

      @Override
      public InputStream open(Digest d) throws IOException {
        InputStream in = store.open(d);
        if (!d.equals(digest) || broken.get()) {
          return in;
        }
        return new FilterInputStream(in) {
          long pos;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= at && broken.compareAndSet(false, true)) {
              throw new IOException("disk pulled out (test)");
            }
            int n =
                super.read(b, off, (int) Math.min(len, Math.max(1, at - pos > 0 ? at - pos : len)));
            if (n > 0) {
              pos += n;
            }
            return n;
          }
        };
      }
    };
  }
}
