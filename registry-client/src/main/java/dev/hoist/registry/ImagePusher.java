package dev.hoist.registry;

import dev.hoist.image.BlobSource;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Index;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Reference;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A whole-image push: blobs of each manifest (layers in parallel, then config), then manifests. A
 * blob is mounted from another repository of the target registry when the caller names one or the
 * source knows it there (see {@link OriginHints}).
 */
final class ImagePusher {
  private final BlobPusher blobs;
  private final ManifestPusher manifests;
  private final ExecutorService pool;
  private final OriginHints origins;

  ImagePusher(
      BlobPusher blobs, ManifestPusher manifests, ExecutorService pool, OriginHints origins) {
    this.blobs = blobs;
    this.manifests = manifests;
    this.pool = pool;
    this.origins = origins;
  }

  Descriptor push(
      Reference target,
      Descriptor root,
      BlobSource source,
      Optional<String> mountFrom,
      TransferListener l)
      throws IOException {
    byte[] raw = Blobs.readSmall(source, root.digest(), "manifest");
    String identifier = target.tag().orElse(target.identifier());
    if (MediaTypes.isIndex(root.mediaType())) {
      Index index = Index.parse(raw, Optional.of(root.mediaType()));
      for (Descriptor child : index.manifests()) {
        if (!source.contains(child.digest())) {
          throw new IOException(
              "push "
                  + target
                  + ": the index names manifest "
                  + child.digest()
                  + child.platform().map(p -> " (" + p + ")").orElse("")
                  + " which is not in the local store; pull all platforms of the image first");
        }
        byte[] childRaw = Blobs.readSmall(source, child.digest(), "manifest");
        pushImage(
            target, Manifest.parse(childRaw, Optional.of(child.mediaType())), source, mountFrom, l);
        manifests.put(target, child.digest().toString(), child.mediaType(), childRaw);
      }
    } else {
      pushImage(target, Manifest.parse(raw, Optional.of(root.mediaType())), source, mountFrom, l);
    }
    manifests.put(target, identifier, root.mediaType(), raw);
    return root;
  }

  private void pushImage(
      Reference target,
      Manifest m,
      BlobSource source,
      Optional<String> mountFrom,
      TransferListener l)
      throws IOException {
    Map<String, Descriptor> layers = new LinkedHashMap<>();
    for (Descriptor d : m.layers()) {
      if (!MediaTypes.isForeignLayer(d.mediaType())) {
        layers.putIfAbsent(d.digest().toString(), d);
      }
    }
    Blobs.parallel(
        pool, List.copyOf(layers.values()), d -> pushOne(target, d, source, mountFrom, l));
    // The config last, as Docker does: a registry then never sees a config whose layers are
    // missing.
    pushOne(target, m.config(), source, mountFrom, l);
  }

  private TransferListener.Outcome pushOne(
      Reference target,
      Descriptor d,
      BlobSource source,
      Optional<String> mountFrom,
      TransferListener l)
      throws IOException {
    l.started(d);
    String registry = target.registry();
    String repository = target.repository();
    List<String> sources =
        origins.mountSources(source, d.digest(), registry, repository, mountFrom);
    TransferListener.Outcome o = blobs.push(registry, repository, d, source, sources, l);
    origins.record(source, d.digest(), registry, repository);
    l.finished(d, o);
    return o;
  }
}
