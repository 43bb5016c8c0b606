package dev.hoist.builder.build;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@code --build-context NAME=VALUE} makes a name of the Dockerfile stand for: a stage named
 * so is not built, and {@code FROM NAME}, {@code COPY --from=NAME} and {@code RUN
 * --mount=from=NAME} read this instead, as in BuildKit.
 */
public sealed interface NamedContext {
  /**
   * A local directory. Its own {@code .dockerignore} applies to it (the main context's does not);
   * as a {@code FROM} base, its files are the stage's first layer under an empty config.
   */
  record Local(Path dir) implements NamedContext {
    public Local {
      Objects.requireNonNull(dir, "dir");
    }
  }

  /** An image by reference ({@code docker-image://REF}), from the store or its registry. */
  record Image(Reference reference) implements NamedContext {
    public Image {
      Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * An image that a transport reads into the store when the build first needs it ({@code
   * oci-layout://DIR}).
   *
   * @param display how messages name it, e.g. {@code oci-layout:///tmp/app:1.0}
   */
  record Imported(String display, Importer importer) implements NamedContext {
    public Imported {
      Objects.requireNonNull(display, "display");
      Objects.requireNonNull(importer, "importer");
    }
  }

  /** Reads an image into the store, for one platform. */
  @FunctionalInterface
  interface Importer {
    /** Stores the image (its manifest, config and layers) and returns its manifest. */
    Descriptor into(Store store, Platform platform) throws IOException;
  }
}
