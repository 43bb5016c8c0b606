package dev.hoist.builder.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.RegistryException;
import dev.hoist.registry.RemoteManifest;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build cache kept in a registry ({@code --cache-to REF}, {@code --cache-from REF}), so that a
 * runner with an empty store reuses another's work. It is an OCI manifest whose layers are the
 * steps' layers and whose config, of type {@value #CONFIG_TYPE}, maps each step key to its layer.
 * Layers are fetched only when a step hits.
 */
final class RegistryCache {
  static final String CONFIG_TYPE = "application/vnd.hoist.cache.config.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Reference ref;
  private final Map<Digest, BuildCache.Entry> entries;

  private RegistryCache(Reference ref, Map<Digest, BuildCache.Entry> entries) {
    this.ref = ref;
    this.entries = entries;
  }

  /**
   * Reads the cache {@code ref} names; a missing cache is an empty one (the first build of a
   * pipeline has nothing to read), any other failure is an error.
   */
  static RegistryCache read(RegistryClient client, Reference ref, Store store) throws IOException {
    RemoteManifest remote;
    try {
      remote = client.fetchManifest(ref);
    } catch (RegistryException e) {
      if (e.status().orElse(0) == 404) {
        return new RegistryCache(ref, Map.of());
      }
      throw e;
    }
    Manifest manifest = remote.manifest();
    if (!manifest.config().mediaType().equals(CONFIG_TYPE)) {
      throw new IOException(
          "--cache-from "
              + ref
              + " is not a hoist build cache (its config is "
              + manifest.config().mediaType()
              + ")");
    }
    client.pullBlob(ref, manifest.config(), store, TransferListener.NONE);
    JsonNode config = JSON.readTree(store.readJson(manifest.config().digest()));
    Map<Digest, BuildCache.Entry> entries = new LinkedHashMap<>();
    for (JsonNode e : config.path("steps")) {
      entries.put(Digest.parse(e.get("key").asText()), BuildCache.Entry.fromJson(e));
    }
    return new RegistryCache(ref, entries);
  }

  /** The entry for {@code key}, its layer fetched into the store; empty when the cache lacks it. */
  Optional<BuildCache.Entry> fetch(Digest key, RegistryClient client, Store store)
      throws IOException {
    BuildCache.Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.layer().isPresent() && !store.contains(entry.layer().get().digest())) {
      client.pullBlob(ref, entry.layer().get(), store, TransferListener.NONE);
    }
    return Optional.of(entry);
  }

  /** Pushes {@code used} (step key → what it produced) as the cache {@code ref} names. */
  static void write(
      RegistryClient client, Reference ref, Store store, Map<Digest, BuildCache.Entry> used)
      throws IOException {
    ObjectNode config = JSON.createObjectNode();
    ArrayNode steps = config.putArray("steps");
    Map<Digest, Descriptor> layers = new LinkedHashMap<>();
    for (Map.Entry<Digest, BuildCache.Entry> e : used.entrySet()) {
      ObjectNode n = steps.addObject();
      n.put("key", e.getKey().toString());
      e.getValue().writeTo(n);
      e.getValue().layer().ifPresent(d -> layers.putIfAbsent(d.digest(), d));
    }
    Descriptor configBlob = store.putBytes(CONFIG_TYPE, JSON.writeValueAsBytes(config));
    Manifest manifest =
        Manifest.of(MediaTypes.OCI_MANIFEST, configBlob, List.copyOf(layers.values()));
    Descriptor manifestBlob = store.putBytes(MediaTypes.OCI_MANIFEST, manifest.raw());
    client.push(ref, manifestBlob, store, Optional.empty(), TransferListener.NONE);
  }
}
