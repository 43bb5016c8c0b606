package dev.hoist.store;

import dev.hoist.image.Compression;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.TestImages.TestImage;
import dev.hoist.store.archive.ArchiveFormat;
import dev.hoist.store.archive.ArchiveLoader;
import dev.hoist.store.archive.ArchiveSaver;
import dev.hoist.testkit.OciValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever hoist writes into a store keeps it a valid OCI image layout, per the spec's checks. */
class StoreLayoutConformanceTest {
  @TempDir Path dir;

  @Test
  void storeWithNamedUnnamedIndexedAndLoadedImages_isAValidOciLayout() throws IOException {
    Path root = dir.resolve("root");
    try (Store store = Store.open(root)) {
      TestImage oci = TestImages.put(store, 1, 2);
      store.tag(Reference.parse("busybox"), oci.descriptor());
      TestImage plain = TestImages.put(store, 2, 1, Compression.NONE, false);
      store.keep(plain.descriptor());
      Index index =
          Index.of(
              List.of(
                  oci.descriptor().withPlatform(Platform.of("linux", "amd64")),
                  plain.descriptor().withPlatform(Platform.of("linux", "arm64", "v8"))));
      Descriptor d = store.putBytes(MediaTypes.OCI_INDEX, index.raw());
      store.tag(Reference.parse("localhost:5000/multi:1"), d);
      Path archive = dir.resolve("a.tar");
      new ArchiveSaver(store).save(List.of("busybox"), archive, ArchiveFormat.DOCKER_ARCHIVE);
      store.untag(Reference.parse("busybox"));
      new ArchiveLoader(store).load(archive); // a new OCI manifest for the same config
    }
    OciValidator.assertValidLayout(root);
  }
}
