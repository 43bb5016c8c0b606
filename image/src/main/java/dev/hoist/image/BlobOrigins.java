package dev.hoist.image;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The registry repositories a blob is known to be in. A pull records where each blob came from and
 * a push where it went, so that a later push to another repository of the same registry can mount
 * the blob ({@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repository>}) instead of
 * uploading its bytes. The store implements it; the registry client uses it when the sink or source
 * it is given does. Origins are hints: a wrong or lost one only costs an upload.
 */
public interface BlobOrigins {
  /**
   * A repository of a registry.
   *
   * @param registry as references name it ({@code docker.io}, {@code 127.0.0.1:5000})
   * @param repository its path in the registry ({@code library/busybox})
   */
  record Origin(String registry, String repository) {
    public Origin {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(repository, "repository");
      if (registry.isEmpty() || repository.isEmpty()) {
        throw new IllegalArgumentException("an origin needs a registry and a repository");
      }
    }

    /** The origin of the repository {@code ref} names (its tag or digest ignored). */
    public static Origin of(Reference ref) {
      return new Origin(ref.registry(), ref.repository());
    }
  }

  /** Records that {@code digest} is in {@code origin}; recording it again makes it the newest. */
  void addOrigin(Digest digest, Origin origin) throws IOException;

  /** The known origins of {@code digest}, newest first; empty when none is known. */
  List<Origin> origins(Digest digest) throws IOException;
}
