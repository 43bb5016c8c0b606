package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The names of a store: the entries of its {@code index.json}. */
final class ImageNames {
  private static final Pattern FULL_DIGEST = Pattern.compile("sha(256|512):[0-9a-f]+");
  private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{1,128}");

  private final Store store;

  ImageNames(Store store) {
    this.store = store;
  }

  static byte[] emptyIndex() {
    return Index.of(List.of()).raw();
  }

  private Path indexFile() {
    return store.root().resolve("index.json");
  }

  /** The entries as they are now; index.json is only ever replaced whole, so no lock is needed. */
  List<Descriptor> entries() throws IOException {
    byte[] raw = Files.readAllBytes(indexFile());
    try {
      return Index.parse(raw).manifests();
    } catch (IllegalArgumentException e) {
      throw new IOException(
          indexFile() + " is not a valid OCI index (" + e.getMessage() + "); run 'hoist fsck'", e);
    }
  }

  /** Reads, changes and atomically rewrites index.json under the store lock. */
  private void update(UnaryOperator<List<Descriptor>> change) throws IOException {
    try (StoreLock.Held held = store.lock().acquire()) {
      List<Descriptor> before = entries();
      List<Descriptor> after = change.apply(new ArrayList<>(before));
      if (!after.equals(before)) {
        AtomicFiles.write(store.tempDir(), indexFile(), Index.of(after).raw());
      }
    }
  }

  void tag(Reference ref, Descriptor target) throws IOException {
    checkTaggable(target);
    String name = ref.toString();
    try (StoreLock.Held held = store.lock().acquire()) {
      checkComplete(target, "cannot name " + target.digest() + " '" + name + "'");
      update(
          list -> {
            list.removeIf(d -> name.equals(d.annotations().get(Store.REF_NAME)));
            list.removeIf(d -> isUnnamed(d) && d.digest().equals(target.digest()));
            Map<String, String> annotations = new HashMap<>(target.annotations());
            annotations.put(Store.REF_NAME, name);
            list.add(target.withAnnotations(annotations));
            return list;
          });
    }
  }

  void keep(Descriptor target) throws IOException {
    checkTaggable(target);
    try (StoreLock.Held held = store.lock().acquire()) {
      checkComplete(target, "cannot keep image " + target.digest());
      update(
          list -> {
            if (list.stream().noneMatch(d -> d.digest().equals(target.digest()))) {
              Map<String, String> annotations = new HashMap<>(target.annotations());
              annotations.remove(Store.REF_NAME);
              list.add(target.withAnnotations(annotations));
            }
            return list;
          });
    }
  }

  private static void checkTaggable(Descriptor target) {
    if (!MediaTypes.isManifest(target.mediaType()) && !MediaTypes.isIndex(target.mediaType())) {
      throw new IllegalArgumentException(
          "only an image manifest or index can be named, not a blob of type "
              + target.mediaType()
              + " ("
              + target.digest()
              + ")");
    }
  }

  /** Throws unless every blob the target needs is stored and readable. */
  private void checkComplete(Descriptor target, String action) throws IOException {
    List<String> problems = new ArrayList<>();
    new ReferenceWalker(
            store,
            new ReferenceWalker.Visitor() {
              @Override
              public void missing(Descriptor d, String via) {
                problems.add("blob " + d.digest() + " (" + via + ") is not in the store");
              }

              @Override
              public void invalid(Descriptor d, String via, String why) {
                problems.add("blob " + d.digest() + " (" + via + ") is unreadable: " + why);
              }
            })
        .walk(target, "the image");
    if (!problems.isEmpty()) {
      throw new IOException(
          action
              + ": "
              + problems.get(0)
              + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")
              + "; store all of the image's blobs first");
    }
  }

  private static boolean isUnnamed(Descriptor d) {
    return !d.annotations().containsKey(Store.REF_NAME);
  }

  private static Optional<Reference> nameOf(Descriptor d) {
    String name = d.annotations().get(Store.REF_NAME);
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Reference.parse(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a name another tool wrote, not a reference hoist can use
    }
  }

  /**
   * Whether an entry may be an image of {@code ref}'s repository: one named in that repository, or
   * one without a name hoist can read (which could be anything).
   */
  boolean mayHoldRepository(Reference ref) throws IOException {
    for (Descriptor d : entries()) {
      Optional<Reference> name = nameOf(d);
      if (name.isEmpty()
          || (name.get().registry().equals(ref.registry())
              && name.get().repository().equals(ref.repository()))) {
        return true;
      }
    }
    return false;
  }

  Optional<StoredImage> find(Reference ref) throws IOException {
    List<Descriptor> entries = entries();
    String wanted = ref.toString();
    for (Descriptor d : entries) {
      if (wanted.equals(d.annotations().get(Store.REF_NAME))) {
        return Optional.of(load(d, entries));
      }
    }
    if (ref.digest().isPresent()) {
      Digest digest = ref.digest().get();
      for (Descriptor d : entries) {
        if (d.digest().equals(digest)
            && nameOf(d).map(n -> n.name().equals(ref.name())).orElse(true)) {
          return Optional.of(load(d, entries));
        }
      }
      return loadUnlisted(digest, entries);
    }
    return Optional.empty();
  }

  StoredImage resolve(String text) throws IOException {
    String t = text.trim();
    List<Descriptor> entries = entries();
    if (FULL_DIGEST.matcher(t).matches()) {
      Digest digest;
      try {
        digest = Digest.parse(t);
      } catch (IllegalArgumentException e) {
        throw new NoSuchImageException("'" + t + "' is not a valid digest: " + e.getMessage());
      }
      for (Descriptor d : entries) {
        if (d.digest().equals(digest)) {
          return load(d, entries);
        }
      }
      for (Descriptor d : entries) {
        Optional<StoredImage> image = tryLoad(d, entries);
        if (image.isPresent() && image.get().id().equals(digest)) {
          return image.get();
        }
      }
      return loadUnlisted(digest, entries).orElseThrow(() -> notFound(t));
    }
    Optional<Reference> ref = Optional.empty();
    try {
      ref = Optional.of(Reference.parse(t));
    } catch (IllegalArgumentException e) {
      if (!ID_PREFIX.matcher(t).matches()) {
        throw new NoSuchImageException(e.getMessage());
      }
    }
    if (ref.isPresent()) {
      Optional<StoredImage> found = find(ref.get());
      if (found.isPresent()) {
        return found.get();
      }
    }
    if (ID_PREFIX.matcher(t).matches()) {
      Map<Digest, Descriptor> byId = new LinkedHashMap<>();
      for (Descriptor d : entries) {
        tryLoad(d, entries)
            .filter(i -> i.id().hex().startsWith(t))
            .ifPresent(i -> byId.putIfAbsent(i.id(), d));
      }
      if (byId.size() == 1) {
        return load(byId.values().iterator().next(), entries);
      }
      if (byId.size() > 1) {
        throw new NoSuchImageException(
            "image id prefix '"
                + t
                + "' matches "
                + byId.size()
                + " images ("
                + String.join(", ", byId.keySet().stream().map(Digest::shortHex).toList())
                + "); give more digits");
      }
    }
    throw notFound(t);
  }

  private NoSuchImageException notFound(String text) {
    return new NoSuchImageException(
        "no image '"
            + text
            + "' in the store "
            + store.root()
            + "; 'hoist images' lists what is there, 'hoist pull' fetches an image");
  }

  private Optional<StoredImage> tryLoad(Descriptor d, List<Descriptor> entries) {
    try {
      return Optional.of(load(d, entries));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // fsck reports it; listing and lookup skip a broken entry
    }
  }

  /** An image stored by digest but not in index.json (e.g. a manifest of a stored index). */
  private Optional<StoredImage> loadUnlisted(Digest digest, List<Descriptor> entries)
      throws IOException {
    if (!Files.isRegularFile(store.blobPath(digest))) {
      return Optional.empty();
    }
    byte[] raw = store.readJson(digest);
    String type;
    try {
      type = sniffMediaType(raw);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(load(Descriptor.of(type, digest, raw.length), entries));
  }

  private static String sniffMediaType(byte[] raw) {
    try {
      Manifest m = Manifest.parse(raw);
      return m.mediaType();
    } catch (IllegalArgumentException notManifest) {
      return Index.parse(raw).mediaType().orElse(MediaTypes.OCI_INDEX);
    }
  }

  /** Reads the image an entry points at; an index resolves to this host's platform. */
  StoredImage load(Descriptor target, List<Descriptor> entries) throws IOException {
    Optional<Index> index = Optional.empty();
    Descriptor manifestDescriptor = target;
    try {
      if (MediaTypes.isIndex(target.mediaType())) {
        Index idx = Index.parse(store.readJson(target.digest()), Optional.of(target.mediaType()));
        index = Optional.of(idx);
        manifestDescriptor = choose(idx, target);
      }
      Manifest manifest =
          Manifest.parse(
              store.readJson(manifestDescriptor.digest()),
              Optional.of(manifestDescriptor.mediaType()));
      ImageConfig config = ImageConfig.parse(store.readJson(manifest.config().digest()));
      Set<Reference> names = new LinkedHashSet<>();
      for (Descriptor d : entries) {
        if (d.digest().equals(target.digest())) {
          nameOf(d).ifPresent(names::add);
        }
      }
      return new StoredImage(target, index, manifest, config, List.copyOf(names));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "image "
              + target.digest()
              + " in "
              + store.root()
              + " is unreadable: "
              + e.getMessage()
              + "; run 'hoist fsck'",
          e);
    }
  }

  private Descriptor choose(Index idx, Descriptor target) throws IOException {
    Optional<Descriptor> forHost =
        idx.select(Platform.host()).filter(d -> Files.isRegularFile(store.blobPath(d.digest())));
    if (forHost.isPresent()) {
      return forHost.get();
    }
    for (Descriptor d : idx.manifests()) {
      if (MediaTypes.isManifest(d.mediaType()) && Files.isRegularFile(store.blobPath(d.digest()))) {
        return d;
      }
    }
    throw new NoSuchImageException(
        "index "
            + target.digest()
            + " has no manifest stored for any of its platforms "
            + idx.platforms()
            + "; pull it again with --platform");
  }

  List<ImageSummary> images() throws IOException {
    List<Descriptor> entries = entries();
    List<ImageSummary> out = new ArrayList<>();
    for (Descriptor d : entries) {
      Optional<StoredImage> image = tryLoad(d, entries);
      if (image.isEmpty()) {
        continue;
      }
      StoredImage i = image.get();
      out.add(new ImageSummary(nameOf(d), d, i.id(), i.config().created(), i.size()));
    }
    return out;
  }

  boolean untag(Reference ref) throws IOException {
    String name = ref.toString();
    boolean[] removed = {false};
    update(
        list -> {
          removed[0] = list.removeIf(d -> name.equals(d.annotations().get(Store.REF_NAME)));
          return list;
        });
    return removed[0];
  }

  List<String> remove(String text, boolean force) throws IOException {
    try (StoreLock.Held held = store.lock().acquire()) {
      try {
        Reference ref = Reference.parse(text.trim());
        if (untag(ref)) {
          return List.of(ref.toString());
        }
      } catch (IllegalArgumentException notAName) {
        // an id or digest then
      }
      StoredImage image = resolve(text);
      List<Descriptor> entries = entries();
      List<Descriptor> same = new ArrayList<>();
      for (Descriptor d : entries) {
        if (d.digest().equals(image.target().digest())) {
          same.add(d);
        } else {
          tryLoad(d, entries).filter(i -> i.id().equals(image.id())).ifPresent(i -> same.add(d));
        }
      }
      List<String> named =
          same.stream()
              .map(d -> d.annotations().get(Store.REF_NAME))
              .filter(n -> n != null)
              .toList();
      if (named.size() > 1 && !force) {
        throw new IOException(
            "image "
                + image.id().shortHex()
                + " has "
                + named.size()
                + " names ("
                + String.join(", ", named)
                + "); remove them by name or use --force");
      }
      update(
          list -> {
            list.removeAll(same);
            return list;
          });
      return named;
    }
  }
}
