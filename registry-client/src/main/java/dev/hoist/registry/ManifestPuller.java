package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** {@code GET}/{@code HEAD /v2/<name>/manifests/<reference>} with the full Accept list. */
final class ManifestPuller {
  /** The spec lets registries refuse manifests over 4 MiB; so do we, to bound memory. */
  static final int MAX_MANIFEST = 4 * 1024 * 1024;

  /** Accept list: what hoist reads, plus schema 1 so that it is named in a clear refusal. */
  static final String ACCEPT =
      MediaTypes.MANIFEST_ACCEPT + ", " + MediaTypes.DOCKER_MANIFEST_V1_SIGNED + ";q=0.1";

  private final Transport transport;

  ManifestPuller(Transport transport) {
    this.transport = transport;
  }

  /** Fetches the manifest or index {@code ref} names and checks its digest. */
  RemoteManifest fetch(Reference ref) throws IOException {
    return fetch(ref, ref.identifier());
  }

  RemoteManifest fetch(Reference ref, String identifier) throws IOException {
    String action = "fetch the manifest of " + ref;
    Transport.Exchange ex =
        Transport.Exchange.get(
                action, ref.registry(), Scope.pull(ref.repository()), path(ref, identifier))
            .withHeaders(Map.of("Accept", ACCEPT));
    try (Response r = transport.expect(ex, Set.of(200))) {
      ResponseBody body = r.body();
      if (body.contentLength() > MAX_MANIFEST) {
        throw new IOException(
            action
                + ": the manifest is "
                + body.contentLength()
                + " bytes, more than the 4 MiB the distribution spec allows");
      }
      byte[] raw = body.source().readByteArray();
      if (raw.length > MAX_MANIFEST) {
        throw new IOException(action + ": the manifest is larger than 4 MiB");
      }
      String type = mediaType(r, raw);
      if (MediaTypes.isSchema1(type)) {
        throw new IOException(
            action
                + ": the registry only has a Docker schema 1 manifest,"
                + " which hoist does not read; re-push the image with a current Docker or skopeo");
      }
      Digest actual = Digest.sha256(raw);
      Optional<Digest> wanted =
          identifier.contains(":")
              ? Optional.of(Digest.parse(identifier))
              : Optional.ofNullable(r.header("Docker-Content-Digest")).map(Digest::parse);
      if (wanted.isPresent() && !wanted.get().algorithm().equals(Digest.SHA256)) {
        actual = Digest.of(wanted.get().algorithm(), wanted.get().newMessageDigest().digest(raw));
      }
      if (wanted.isPresent() && !wanted.get().equals(actual)) {
        throw new dev.hoist.image.DigestMismatchException(action, wanted.get(), actual, raw.length);
      }
      return new RemoteManifest(raw, type, actual);
    }
  }

  /** The descriptor of {@code ref}'s manifest from a HEAD (not counted by Docker Hub's limit). */
  Optional<Descriptor> head(Reference ref) throws IOException {
    String action = "check the manifest of " + ref;
    Transport.Exchange ex =
        new Transport.Exchange(
            action,
            ref.registry(),
            Scope.pull(ref.repository()),
            "HEAD",
            path(ref, ref.identifier()),
            Map.of("Accept", ACCEPT),
            Optional.empty());
    try (Response r = transport.send(ex)) {
      if (r.code() == 404) {
        return Optional.empty();
      }
      if (r.code() != 200) {
        throw RegistryErrors.fromResponse(action, r);
      }
      String digest = r.header("Docker-Content-Digest");
      String type = r.header("Content-Type");
      String length = r.header("Content-Length");
      if (digest == null || type == null || length == null) {
        return Optional.empty();
      }
      return Optional.of(
          Descriptor.of(stripParams(type), Digest.parse(digest), Long.parseLong(length)));
    } catch (IllegalArgumentException badHeader) {
      return Optional.empty();
    }
  }

  static String path(Reference ref, String identifier) {
    return "/v2/" + ref.repository() + "/manifests/" + identifier;
  }

  private static String mediaType(Response r, byte[] raw) {
    String header = r.header("Content-Type");
    String type = header == null ? "" : stripParams(header);
    if (MediaTypes.isIndex(type) || MediaTypes.isManifest(type) || MediaTypes.isSchema1(type)) {
      return type;
    }
    // Some registries answer application/json; the JSON's own mediaType then decides.
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);
      String inner = n.path("mediaType").asText("");
      if (!inner.isEmpty()) {
        return inner;
      }
      if (n.path("schemaVersion").asInt() == 1) {
        return MediaTypes.DOCKER_MANIFEST_V1_SIGNED;
      }
      return n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    } catch (IOException notJson) {
      return type;
    }
  }

  static String stripParams(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
  }
}
