package dev.hoist.store;

import dev.hoist.image.Descriptor;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Walks what a descriptor refers to: an index to its manifests, a manifest to its config and
 * layers, reading (and so verifying) every index, manifest and config on the way. Used by tag (is
 * the image complete?), prune (what is live?) and fsck (what is broken?).
 *
 * <p>A manifest an index lists but the store lacks is allowed: a pull keeps only the platform it
 * needs, as containerd does. Everything a manifest lists must be there (foreign layers excepted).
 */
final class ReferenceWalker {
  /** What the walk found. */
  interface Visitor {
    /** A blob that is referenced and present. */
    default void present(Descriptor d) {}

    /** A blob that is referenced but absent; {@code via} names who refers to it. */
    default void missing(Descriptor d, String via) {}

    /** A blob that is present but unreadable: corrupt, or not what its media type says. */
    default void invalid(Descriptor d, String via, String why) {}

    /** A config that was read and parsed. */
    default void config(Descriptor d, ImageConfig config) {}
  }

  private final Store store;
  private final Visitor visitor;
  private final Set<String> seen = new HashSet<>();

  ReferenceWalker(Store store, Visitor visitor) {
    this.store = store;
    this.visitor = visitor;
  }

  void walk(Descriptor d, String via) throws IOException {
    if (!seen.add(d.digest() + " " + d.mediaType())) {
      return;
    }
    boolean present = Files.isRegularFile(store.blobPath(d.digest()));
    if (!present) {
      if (!MediaTypes.isForeignLayer(d.mediaType())) {
        visitor.missing(d, via);
      }
      return;
    }
    visitor.present(d);
    String what = d.mediaType();
    try {
      if (MediaTypes.isIndex(what)) {
        Index index = Index.parse(store.readJson(d.digest()), Optional.of(what));
        for (Descriptor m : index.manifests()) {
          if (Files.isRegularFile(store.blobPath(m.digest()))) {
            walk(m, "index " + d.digest());
          } else {
            seen.add(m.digest() + " " + m.mediaType());
          }
        }
      } else if (MediaTypes.isManifest(what)) {
        Manifest manifest = Manifest.parse(store.readJson(d.digest()), Optional.of(what));
        String by = "manifest " + d.digest();
        Descriptor config = manifest.config();
        if (!Files.isRegularFile(store.blobPath(config.digest()))) {
          visitor.missing(config, by + " (config)");
        } else {
          visitor.present(config);
          seen.add(config.digest() + " " + config.mediaType());
          try {
            visitor.config(config, ImageConfig.parse(store.readJson(config.digest())));
          } catch (IllegalArgumentException e) {
            visitor.invalid(config, by, "config does not parse: " + e.getMessage());
          } catch (IOException e) {
            visitor.invalid(config, by, e.getMessage());
          }
        }
        for (Descriptor layer : manifest.layers()) {
          walk(layer, by);
        }
      }
    } catch (IllegalArgumentException e) {
      visitor.invalid(d, via, e.getMessage());
    } catch (CorruptBlobException e) {
      visitor.invalid(d, via, e.getMessage());
    }
  }
}
