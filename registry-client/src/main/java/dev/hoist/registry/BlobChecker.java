package dev.hoist.registry;

import dev.hoist.image.Digest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import okhttp3.Response;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether a registry repository has a blob. */
final class BlobChecker {
  private final Transport transport;

  BlobChecker(Transport transport) {
    this.transport = transport;
  }

  boolean exists(String registry, String repository, Digest digest, Scope scope)
      throws IOException {
    String action = "check whether " + registry + "/" + repository + " has blob " + digest;
    Transport.Exchange ex =
        new Transport.Exchange(
            action,
            registry,
            scope,
            "HEAD",
            "/v2/" + repository + "/blobs/" + digest,
            Map.of(),
            Optional.empty());
    try (Response r = transport.send(ex)) {
      if (r.code() == 200) {
        return true;
      }
      if (r.code() == 404) {
        return false;
      }
      throw RegistryErrors.fromResponse(action, r);
    }
  }
}
