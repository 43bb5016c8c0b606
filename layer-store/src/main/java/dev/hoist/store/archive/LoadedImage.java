package dev.hoist.store.archive;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Reference;
import java.util.List;

/** An image an archive held, now in the store: its index.json target, id and the names given. */
public record LoadedImage(Descriptor target, Digest id, List<Reference> names) {
  public LoadedImage {
    names = List.copyOf(names);
  }
}
