package dev.hoist.registry;

import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

/** {@code PUT /v2/<name>/manifests/<tag or digest>} with the manifest's exact bytes. */
final class ManifestPusher {
  private final Transport transport;

  ManifestPusher(Transport transport) {
    this.transport = transport;
  }

  /** Puts {@code raw} as {@code identifier} (tag or digest) and returns its digest. */
  Digest put(Reference repo, String identifier, String mediaType, byte[] raw) throws IOException {
    Digest digest = Digest.sha256(raw);
    String action = "push manifest " + digest + " to " + repo.name() + ":" + identifier;
    RequestBody body = RequestBody.create(raw, MediaType.get(mediaType));
    Transport.Exchange ex =
        new Transport.Exchange(
            action,
            repo.registry(),
            Scope.push(repo.repository()),
            "PUT",
            ManifestPuller.path(repo, identifier),
            Map.of("Content-Type", mediaType),
            Optional.of(Transport.Body.of(body)));
    try (Response r = transport.expect(ex, Set.of(201, 200))) {
      String d = r.header("Docker-Content-Digest");
      if (d != null && !d.equals(digest.toString())) {
        throw new IOException(
            action
                + ": the registry stored it as "
                + d
                + " (it rewrote the manifest); the pushed image would not match, use another registry");
      }
      return digest;
    }
  }
}
