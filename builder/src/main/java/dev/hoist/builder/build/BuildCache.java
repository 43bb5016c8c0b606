package dev.hoist.builder.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.registry.RegistryClient;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build cache: what each step produced, by step key. A key is a digest of everything the step's
 * result depends on (see {@link StepKeys}), so a hit means running the step again would give the
 * same result. Entries live in {@code .hoist/cache/steps/<hex>.json}, each written to a temp file
 * and renamed, so a reader sees a whole entry or none.
 */
public final class BuildCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final List<Remote> remotes;
  private final Map<Digest, Entry> used = new ConcurrentHashMap<>();

  /** A registry cache ({@code --cache-from}) and what reads from it. */
  record Remote(RegistryCache cache, RegistryClient client, Store store) {}

  /** What a step produced: a layer (none for a step that changed nothing) and when. */
  record Entry(Optional<Descriptor> layer, Optional<Digest> diffId, Instant created) {
    Entry {
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(diffId, "diffId");
      Objects.requireNonNull(created, "created");
      if (layer.isPresent() != diffId.isPresent()) {
        throw new IllegalArgumentException("a cached layer needs both its digest and diff id");
      }
    }

    /** Reads the JSON form {@link #writeTo} writes. */
    static Entry fromJson(JsonNode n) {
      Optional<Descriptor> layer = Optional.empty();
      Optional<Digest> diffId = Optional.empty();
      if (n.hasNonNull("digest")) {
        layer =
            Optional.of(
                Descriptor.of(
                    n.get("mediaType").asText(),
                    Digest.parse(n.get("digest").asText()),
                    n.get("size").asLong()));
        diffId = Optional.of(Digest.parse(n.get("diffId").asText()));
      }
      return new Entry(layer, diffId, Instant.parse(n.get("created").asText()));
    }

    void writeTo(ObjectNode n) {
      layer.ifPresent(
          d -> {
            n.put("mediaType", d.mediaType());
            n.put("digest", d.digest().toString());
            n.put("size", d.size());
          });
      diffId.ifPresent(d -> n.put("diffId", d.toString()));
      n.put("created", created.toString());
    }
  }

  BuildCache(Path cacheDir, List<Remote> remotes) {
    this.dir = cacheDir.resolve("steps");
    this.remotes = List.copyOf(remotes);
  }

  /**
   * What step {@code key} produced, from this store's cache or else a registry cache (whose layer
   * is then fetched); empty when no cache has it or its layer is gone.
   */
  Optional<Entry> lookup(Digest key, Store store) throws IOException {
    Optional<Entry> local =
        get(key).filter(e -> e.layer().isEmpty() || contains(store, e.layer().get().digest()));
    if (local.isEmpty()) {
      for (Remote r : remotes) {
        local = r.cache().fetch(key, r.client(), r.store());
        if (local.isPresent()) {
          put(key, local.get());
          break;
        }
      }
    }
    local.ifPresent(e -> used.put(key, e));
    return local;
  }

  private static boolean contains(Store store, Digest digest) {
    try {
      return store.contains(digest);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The layers the build cache of {@code store} names: what {@code hoist prune} keeps unless it is
   * asked to drop the cache too.
   */
  public static List<Descriptor> layers(Store store) throws IOException {
    BuildCache cache = new BuildCache(store.cacheDir(), List.of());
    List<Descriptor> out = new java.util.ArrayList<>();
    if (!Files.isDirectory(cache.dir)) {
      return out;
    }
    try (var files = Files.list(cache.dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json") && !name.startsWith(".")) {
          try {
            cache
                .get(Digest.parse("sha256:" + name.substring(0, name.length() - 5)))
                .flatMap(Entry::layer)
                .ifPresent(out::add);
          } catch (IllegalArgumentException notAKey) {
            // not an entry of ours; prune leaves it alone
          }
        }
      }
    }
    return out;
  }

  /** Every entry this build used or made, for {@code --cache-to}. */
  Map<Digest, Entry> used() {
    return Map.copyOf(used);
  }

  /** The entry for {@code key}; empty when absent or unreadable (a cache miss, never an error). */
  private Optional<Entry> get(Digest key) {
    Path file = dir.resolve(key.hex() + ".json");
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      return Optional.of(Entry.fromJson(JSON.readTree(file.toFile())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged entry costs a rebuild of the step, nothing more
    }
  }

  void put(Digest key, Entry entry) throws IOException {
    used.put(key, entry);
    ObjectNode n = JSON.createObjectNode();
    entry.writeTo(n);
    byte[] bytes = JSON.writeValueAsBytes(n);
    try {
      write(key, bytes);
    } catch (NoSuchFileException e) {
      // A concurrent `hoist prune --cache` removed the directory between our steps: the cache
      // is empty now, and this entry is the first of the new one.
      write(key, bytes);
    }
  }

  private void write(Digest key, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path temp = dir.resolve(".tmp-" + UniqueNames.next());
    try {
      Files.write(temp, bytes);
      Files.move(
          temp,
          dir.resolve(key.hex() + ".json"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
