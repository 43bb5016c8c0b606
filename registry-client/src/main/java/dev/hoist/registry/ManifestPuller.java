package dev.hoist.registry;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Index;
import dev.hoist.image.InvalidImageJsonException;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.Response;

/** {@code GET}/{@code HEAD /v2/<name>/manifests/<reference>} with the full Accept list. */
final class ManifestPuller {
  /** The spec lets registries refuse manifests over 4 MiB; so do we, to bound memory. */
  static final int MAX_MANIFEST = 4 * 1024 * 1024;

  /** Accept list: what hoist reads, plus schema 1 so that it is named in a clear refusal. */
  static final String ACCEPT =
      MediaTypes.MANIFEST_ACCEPT + ", " + MediaTypes.DOCKER_MANIFEST_V1_SIGNED + ";q=0.1";

  /** Content-Types after which the JSON's own mediaType decides (registries that do not say). */
  private static final Set<String> GENERIC_TYPES =
      Set.of("", "application/json", "application/octet-stream", "text/plain");

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

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
      String declared = declaredType(action, ref, r);
      byte[] raw = LimitedBody.read(r, MAX_MANIFEST, action, "manifest");
      Digest actual = Digest.sha256(raw);
      Optional<Digest> wanted =
          identifier.contains(":")
              ? Optional.of(Digest.parse(identifier))
              : announcedDigest(action, r);
      if (wanted.isPresent() && !wanted.get().algorithm().equals(Digest.SHA256)) {
        actual = Digest.of(wanted.get().algorithm(), wanted.get().newMessageDigest().digest(raw));
      }
      if (wanted.isPresent() && !wanted.get().equals(actual)) {
        throw new dev.hoist.image.DigestMismatchException(action, wanted.get(), actual, raw.length);
      }
      String type = mediaType(action, declared, raw);
      if (MediaTypes.isSchema1(type)) {
        throw new IOException(
            action
                + ": the registry only has a Docker schema 1 manifest,"
                + " which hoist does not read; re-push the image with a current Docker or skopeo");
      }
      checkShape(action, raw, type);
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

  /**
   * The Content-Type of a fetched manifest without parameters: a manifest or index type, or a
   * generic one after which the JSON decides. Another kind of document (an HTML login page, a
   * config) is refused before its body is read.
   */
  private static String declaredType(String action, Reference ref, Response r) throws IOException {
    String header = r.header("Content-Type");
    String type = header == null ? "" : stripParams(header).toLowerCase(java.util.Locale.ROOT);
    if (!isManifestType(type) && !GENERIC_TYPES.contains(type)) {
      throw new IOException(
          action
              + ": the registry answered with "
              + type
              + ", not an image manifest or index; nothing was stored"
              + (type.startsWith("text/")
                  ? " (is "
                      + ref.registry()
                      + " a registry, or is a proxy or login page in the way?)"
                  : " (hoist reads OCI and Docker schema 2 manifests and indexes)"));
    }
    return type;
  }

  private static boolean isManifestType(String type) {
    return MediaTypes.isIndex(type) || MediaTypes.isManifest(type) || MediaTypes.isSchema1(type);
  }

  /**
   * The media type of a fetched manifest: the declared one when it names a manifest or index (and
   * the JSON's own {@code mediaType}, if any, agrees), else the JSON's. Bytes that are not a JSON
   * object are refused.
   */
  private static String mediaType(String action, String declared, byte[] raw) throws IOException {
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = JSON.readTree(raw);
    } catch (IOException notJson) {
      throw new IOException(
          action
              + ": the manifest ("
              + raw.length
              + " bytes of "
              + (declared.isEmpty() ? "no Content-Type" : declared)
              + ") is not valid JSON: "
              + RegistryErrors.oneLine(
                  notJson instanceof com.fasterxml.jackson.core.JsonProcessingException j
                      ? j.getOriginalMessage()
                      : String.valueOf(notJson.getMessage()))
              + "; the registry is broken, nothing was stored");
    }
    if (n == null || !n.isObject()) {
      throw new IOException(
          action
              + ": the manifest is not a JSON object; the registry is broken, nothing was stored");
    }
    String inner = n.path("mediaType").asText("");
    if (isManifestType(declared)) {
      if (!inner.isEmpty() && !inner.equals(declared)) {
        throw new IOException(
            action
                + ": the registry says Content-Type "
                + declared
                + " but the manifest says mediaType "
                + inner
                + "; the registry or the image is broken, nothing was stored");
      }
      return declared;
    }
    // Some registries answer application/json; the JSON's own mediaType then decides.
    if (!inner.isEmpty()) {
      return inner;
    }
    if (n.path("schemaVersion").asInt() == 1) {
      return MediaTypes.DOCKER_MANIFEST_V1_SIGNED;
    }
    return n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
  }

  /** The digest the registry announces in {@code Docker-Content-Digest}, if it does. */
  private static Optional<Digest> announcedDigest(String action, Response r) throws IOException {
    String h = r.header("Docker-Content-Digest");
    if (h == null || h.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(h.trim()));
    } catch (IllegalArgumentException bad) {
      throw new IOException(
          action
              + ": the registry sent an invalid Docker-Content-Digest '"
              + RegistryErrors.oneLine(h)
              + "'; the registry is broken, nothing was stored");
    }
  }

  /**
   * Parses the bytes as what {@code type} says they are, so that nothing broken is stored; a
   * manifest's config must fit the same 4 MiB (hoist reads configs into memory, and
   * containers/image bounds them alike).
   */
  private static void checkShape(String action, byte[] raw, String type) throws IOException {
    long configSize;
    try {
      if (MediaTypes.isIndex(type)) {
        Index.parse(raw, Optional.of(type));
        return;
      }
      configSize = Manifest.parse(raw, Optional.of(type)).config().size();
    } catch (InvalidImageJsonException broken) {
      throw new IOException(
          action
              + ": "
              + RegistryErrors.oneLine(broken.getMessage())
              + "; the registry served a broken manifest, nothing was stored");
    }
    if (configSize > MAX_MANIFEST) {
      throw new IOException(
          action
              + ": the manifest names a config of "
              + configSize
              + " bytes, more than the 4 MiB hoist accepts; the image is broken or hostile,"
              + " nothing was stored");
    }
  }

  static String stripParams(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
  }
}
