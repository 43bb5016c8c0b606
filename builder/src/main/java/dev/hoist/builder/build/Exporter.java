package dev.hoist.builder.build;

import dev.hoist.image.Compression;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Reference;
import dev.hoist.store.FileTrees;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.archive.ArchiveFormat;
import dev.hoist.store.archive.ArchiveSaver;
import dev.hoist.store.layer.ApplyOptions;
import dev.hoist.store.layer.LayerApplier;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a built image where {@code --output} asks: an archive, or its root filesystem. */
public final class Exporter {
  private final Store store;

  public Exporter(Store store) {
    this.store = store;
  }

  public void export(OutputSpec output, BuildResult result) throws IOException {
    switch (output.type()) {
      case IMAGE -> {}
      case DOCKER ->
          new ArchiveSaver(store).save(names(result), dest(output), ArchiveFormat.DOCKER_ARCHIVE);
      case OCI ->
          new ArchiveSaver(store).save(names(result), dest(output), ArchiveFormat.OCI_ARCHIVE);
      case LOCAL -> {
        try {
          rootfs(result.layers(), dest(output));
        } catch (IOException e) {
          // The layer's own message names the entry, not where it was going (a full disk there).
          throw new IOException("export to " + dest(output) + ": " + e.getMessage(), e);
        }
      }
      case TAR -> {
        Path tree =
            Files.createDirectories(store.tempDir().resolve("export-" + UniqueNames.next()));
        try {
          rootfs(result.layers(), tree);
          Path temp = dest(output).resolveSibling(".hoist-" + UniqueNames.next() + ".tar");
          try {
            new LayerWriter(LayerOptions.defaults().withCompression(Compression.NONE))
                .write(LayerSource.directory(tree), temp);
            Files.move(temp, dest(output), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(temp);
          }
        } finally {
          FileTrees.deleteRecursively(tree);
        }
      }
    }
  }

  private static Path dest(OutputSpec output) {
    return output.dest().orElseThrow().toAbsolutePath();
  }

  private static List<String> names(BuildResult result) {
    return result.tags().isEmpty()
        ? List.of(result.imageId().toString())
        : result.tags().stream().map(Reference::toString).toList();
  }

  /** Applies {@code layers} in order into {@code dir}: the image's root filesystem. */
  public void rootfs(List<Descriptor> layers, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Descriptor layer : layers) {
      try (InputStream in = store.open(layer.digest())) {
        new LayerApplier(ApplyOptions.tree(layer.digest())).apply(in, dir);
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
  }
}
