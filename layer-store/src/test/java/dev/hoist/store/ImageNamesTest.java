package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNamesTest {
  @TempDir Path dir;
  Store store;
  TestImage image;

  @BeforeEach
  void setUp() throws IOException {
    store = Store.open(dir);
    image = TestImages.put(store, 1, 2);
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  @Test
  void mayHoldManifestOf_onlyWhenTheRepositoryOrAnUnnamedImageIsThere() throws IOException {
    Reference other = Reference.parse("ghcr.io/acme/app:1.4");
    assertFalse(store.mayHoldManifestOf(other), "an empty store holds no manifest");

    store.tag(Reference.parse("busybox:1.36"), image.descriptor());
    assertTrue(store.mayHoldManifestOf(Reference.parse("docker.io/library/busybox:latest")));
    assertFalse(store.mayHoldManifestOf(other), "only busybox is named");
    assertFalse(store.mayHoldManifestOf(Reference.parse("ghcr.io/library/busybox:1.36")));

    // An image without a name (a build without -t) could be any image.
    store.keep(TestImages.put(store, 2, 1).descriptor());
    assertTrue(store.mayHoldManifestOf(other));
  }

  @Test
  void tag_writesTheFullNameAsTheOciRefNameAnnotation() throws IOException {
    store.tag(Reference.parse("busybox"), image.descriptor());
    Index index = Index.parse(Files.readAllBytes(dir.resolve("index.json")));
    assertEquals(1, index.manifests().size());
    Descriptor entry = index.manifests().get(0);
    assertEquals(image.manifest().digest(), entry.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, entry.mediaType());
    assertEquals(Optional.of("docker.io/library/busybox:latest"), entry.annotation(Store.REF_NAME));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox",
        "busybox:latest",
        "docker.io/library/busybox:latest",
        "index.docker.io/library/busybox"
      })
  void resolve_findsANameInAnyOfItsForms(String text) throws IOException {
    store.tag(Reference.parse("busybox"), image.descriptor());
    StoredImage found = store.resolve(text);
    assertEquals(image.id(), found.id());
    assertEquals(image.manifest(), found.manifest());
    assertEquals(List.of(Reference.parse("busybox")), found.names());
  }

  @Test
  void resolve_findsByIdPrefixFullIdAndManifestDigest() throws IOException {
    store.tag(Reference.parse("a/b:1"), image.descriptor());
    assertEquals(image.id(), store.resolve(image.id().shortHex()).id());
    assertEquals(image.id(), store.resolve(image.id().hex().substring(0, 4)).id());
    assertEquals(image.id(), store.resolve(image.id().toString()).id());
    assertEquals(image.id(), store.resolve(image.manifest().digest().toString()).id());
    assertEquals(image.id(), store.resolve("a/b@" + image.manifest().digest()).id(), "name@digest");
  }

  @Test
  void resolve_namesWhatWasAskedWhenNothingMatches() throws IOException {
    NoSuchImageException e =
        assertThrows(NoSuchImageException.class, () -> store.resolve("nothere:1"));
    assertTrue(e.getMessage().contains("'nothere:1'"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void resolve_refusesAnAmbiguousIdPrefix() throws IOException {
    List<TestImage> images = new ArrayList<>();
    for (int seed = 10; seed < 27; seed++) {
      TestImage i = TestImages.put(store, seed, 0);
      store.keep(i.descriptor());
      images.add(i);
    }
    // 17 ids, 16 possible first hex digits: two of them share one.
    String prefix =
        images.stream()
            .map(i -> i.id().hex().substring(0, 1))
            .filter(p -> images.stream().filter(j -> j.id().hex().startsWith(p)).count() > 1)
            .findFirst()
            .orElseThrow();
    NoSuchImageException e = assertThrows(NoSuchImageException.class, () -> store.resolve(prefix));
    assertTrue(e.getMessage().contains("matches"), e.getMessage());
  }

  @Test
  void tag_movesANameToTheNewImage() throws IOException {
    TestImage other = TestImages.put(store, 2, 1);
    store.tag(Reference.parse("app:1"), image.descriptor());
    store.tag(Reference.parse("app:1"), other.descriptor());
    assertEquals(other.id(), store.resolve("app:1").id());
    assertEquals(1, store.indexEntries().size());
  }

  @Test
  void tag_refusesAnImageWithAMissingLayer() throws IOException {
    store.delete(image.layers().get(1).digest());
    IOException e =
        assertThrows(IOException.class, () -> store.tag(Reference.parse("x"), image.descriptor()));
    assertTrue(e.getMessage().contains(image.layers().get(1).digest().toString()), e.getMessage());
    assertEquals(List.of(), store.indexEntries());
  }

  @Test
  void tag_refusesABlobThatIsNoManifest() {
    assertThrows(
        IllegalArgumentException.class,
        () -> store.tag(Reference.parse("x"), image.layers().get(0)));
  }

  @Test
  void keep_storesAnUnnamedImageOnceAndTagReplacesIt() throws IOException {
    store.keep(image.descriptor());
    store.keep(image.descriptor());
    List<ImageSummary> images = store.images();
    assertEquals(1, images.size());
    assertEquals(Optional.empty(), images.get(0).name());
    assertEquals(image.id(), images.get(0).id());
    store.tag(Reference.parse("named"), image.descriptor());
    assertEquals(1, store.indexEntries().size());
    assertEquals(Optional.of(Reference.parse("named")), store.images().get(0).name());
  }

  @Test
  void images_listsNameIdCreatedAndSize() throws IOException {
    store.tag(Reference.parse("one"), image.descriptor());
    store.tag(Reference.parse("two:x"), image.descriptor());
    List<ImageSummary> images = store.images();
    assertEquals(2, images.size());
    ImageSummary s = images.get(0);
    assertEquals(Optional.of(Reference.parse("one")), s.name());
    assertEquals(image.id(), s.id());
    assertEquals(image.config().created(), s.created());
    long size =
        image.manifest().config().size()
            + image.layers().stream().mapToLong(Descriptor::size).sum();
    assertEquals(size, s.size());
  }

  @Test
  void untag_removesOnlyThatName() throws IOException {
    store.tag(Reference.parse("one"), image.descriptor());
    store.tag(Reference.parse("two"), image.descriptor());
    assertTrue(store.untag(Reference.parse("one")));
    assertFalse(store.untag(Reference.parse("one")));
    assertEquals(List.of(Reference.parse("two")), store.resolve("two").names());
  }

  @Test
  void remove_byIdNeedsForceWhenTheImageHasSeveralNames() throws IOException {
    store.tag(Reference.parse("one"), image.descriptor());
    store.tag(Reference.parse("two"), image.descriptor());
    IOException e =
        assertThrows(IOException.class, () -> store.remove(image.id().shortHex(), false));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals(
        List.of("docker.io/library/one:latest", "docker.io/library/two:latest"),
        store.remove(image.id().shortHex(), true).stream().sorted().toList());
    assertEquals(List.of(), store.indexEntries());
  }

  @Test
  void remove_byNameUntagsOnlyThatName() throws IOException {
    store.tag(Reference.parse("one"), image.descriptor());
    store.tag(Reference.parse("two"), image.descriptor());
    assertEquals(List.of("docker.io/library/one:latest"), store.remove("one", false));
    assertEquals(1, store.indexEntries().size());
  }

  @Test
  void resolve_choosesTheHostPlatformOfAnIndex() throws IOException {
    TestImage other = TestImages.put(store, 3, 1);
    Index index =
        Index.of(
            List.of(
                other.descriptor().withPlatform(Platform.of("linux", "s390x")),
                image.descriptor().withPlatform(Platform.host())));
    Descriptor d = store.putBytes(MediaTypes.OCI_INDEX, index.raw());
    store.tag(Reference.parse("multi"), d);
    StoredImage found = store.resolve("multi");
    assertEquals(image.id(), found.id());
    assertEquals(Optional.of(index), found.index());
  }

  @Test
  void tag_acceptsAnIndexWhoseOtherPlatformsWereNotPulled() throws IOException {
    Index index =
        Index.of(
            List.of(
                Descriptor.of(
                        MediaTypes.OCI_MANIFEST, dev.hoist.image.Digest.sha256(new byte[1]), 1)
                    .withPlatform(Platform.of("linux", "s390x")),
                image.descriptor().withPlatform(Platform.host())));
    Descriptor d = store.putBytes(MediaTypes.OCI_INDEX, index.raw());
    store.tag(Reference.parse("partial"), d);
    assertEquals(image.id(), store.resolve("partial").id());
    assertTrue(store.fsck().ok(), store.fsck().problems().toString());
  }

  @Test
  void tag_fromManyThreadsLosesNoName() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  store.tag(Reference.parse("t:" + n), image.descriptor());
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(40, store.indexEntries().size());
  }

  @Test
  void tag_fromTwoStoresOnOneRootLosesNoName() throws Exception {
    // Two Store objects share only the files: the file lock and atomic index.json do the work.
    try (Store second = Store.open(dir)) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 20; i++) {
                    second.tag(Reference.parse("b:" + i), image.descriptor());
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      t.start();
      for (int i = 0; i < 20; i++) {
        store.tag(Reference.parse("a:" + i), image.descriptor());
      }
      t.join();
    }
    assertEquals(40, store.indexEntries().size());
  }
}
