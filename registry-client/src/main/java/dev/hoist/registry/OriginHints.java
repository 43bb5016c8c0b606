package dev.hoist.registry;

import dev.hoist.image.BlobOrigins;
import dev.hoist.image.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Blob origins, when the store behind a transfer keeps them ({@link BlobOrigins}): recorded after
 * every blob a pull fetched or found and every blob a push sent, mounted, or found in the registry;
 * read to name the mount sources of a push. They are hints: a failure to record one is logged and
 * the transfer goes on.
 */
final class OriginHints {
  /** Mount sources tried per blob at most: each failed one costs a round trip. */
  static final int MAX_MOUNT_SOURCES = 3;

  private final Consumer<String> log;

  OriginHints(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Records that {@code digest} is in {@code registry/repository}, if {@code store} keeps origins.
   */
  void record(Object store, Digest digest, String registry, String repository) {
    if (store instanceof BlobOrigins o) {
      try {
        o.addOrigin(digest, new BlobOrigins.Origin(registry, repository));
      } catch (IOException | RuntimeException e) {
        log.accept(
            "could not record that "
                + digest
                + " is in "
                + registry
                + "/"
                + repository
                + ": "
                + e.getMessage());
      }
    }
  }

  /**
   * The repositories of {@code registry} to mount {@code digest} from when pushing it to {@code
   * repository}: {@code explicit} first, then the origins {@code store} knows, newest first.
   */
  List<String> mountSources(
      Object store, Digest digest, String registry, String repository, Optional<String> explicit) {
    List<String> out = new ArrayList<>();
    explicit.ifPresent(out::add);
    if (store instanceof BlobOrigins o) {
      try {
        for (BlobOrigins.Origin origin : o.origins(digest)) {
          if (origin.registry().equals(registry)) {
            out.add(origin.repository());
          }
        }
      } catch (IOException | RuntimeException e) {
        log.accept("could not read where " + digest + " came from: " + e.getMessage());
      }
    }
    return out.stream()
        .filter(r -> !r.equals(repository))
        .distinct()
        .limit(MAX_MOUNT_SOURCES)
        .toList();
  }
}
