package dev.hoist.builder.build;

import dev.hoist.builder.plan.BaseImages;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.registry.PullResult;
import dev.hoist.registry.RegistryClient;
import dev.hoist.registry.TransferListener;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds the images a build starts from: in the store, else pulled from their registry (always
 * pulled with {@code --pull}, once per build). Also tells the planner each base image's ENV and
 * ONBUILD triggers, as Docker's planner sees them.
 */
final class BaseImageResolver implements BaseImages {
  private final Store store;
  private final Optional<Supplier<RegistryClient>> registry;
  private final boolean pull;
  private final Progress progress;
  private final Cancellation cancellation;
  private final Map<String, StoredImage> resolved = new HashMap<>();
  private final Map<String, NamedContext> contexts;

  /**
   * @param contexts {@code --build-context} values by key
   */
  BaseImageResolver(
      Store store,
      Optional<Supplier<RegistryClient>> registry,
      boolean pull,
      Progress progress,
      Cancellation cancellation,
      Map<String, NamedContext> contexts) {
    this.contexts = Map.copyOf(contexts);
    this.store = store;
    this.registry = registry;
    this.pull = pull;
    this.progress = progress;
    this.cancellation = cancellation;
  }

  /**
   * The image {@code reference} names, for {@code platform}, pulling it when needed. A stored image
   * of another platform is looked up in its registry again (the index may have {@code platform});
   * an image that is still of another platform is refused: building on it would give an image whose
   * config and files are not {@code platform}'s (BuildKit's InvalidBaseImagePlatform).
   */
  synchronized StoredImage image(String reference, Platform platform) throws IOException {
    String key = reference + " " + platform;
    StoredImage known = resolved.get(key);
    if (known != null) {
      return known;
    }
    Reference ref = Reference.parse(reference);
    Optional<StoredImage> stored = pull ? Optional.empty() : store.find(ref);
    StoredImage image =
        stored.isPresent()
                && (platform.matches(stored.get().config().platform()) || registry.isEmpty())
            ? stored.get()
            : fetch(ref, platform);
    Platform has = image.config().platform();
    if (!platform.matches(has)) {
      throw new BuildException(
          "base image "
              + ref.familiar()
              + " is "
              + has
              + ", not "
              + platform
              + ", and hoist does not build one platform from another's image: use a base that has "
              + platform
              + " or build with --platform "
              + has);
    }
    resolved.put(key, image);
    return image;
  }

  /** The named build context stored under {@code key} ({@code --build-context}), if any. */
  Optional<NamedContext> context(String key) {
    return Optional.ofNullable(contexts.get(key));
  }

  /**
   * The image an image context ({@code docker-image://}, {@code oci-layout://}) stands for, stored;
   * an OCI layout is read into the store once per build.
   */
  synchronized StoredImage image(NamedContext context, Platform platform) throws IOException {
    if (context instanceof NamedContext.Image i) {
      return image(i.reference().toString(), platform);
    }
    if (!(context instanceof NamedContext.Imported imported)) {
      throw new IllegalArgumentException("build context " + context + " is not an image");
    }
    String key = "context " + imported.display() + " " + platform;
    StoredImage known = resolved.get(key);
    if (known == null) {
      try {
        known = store.resolve(imported.importer().into(store, platform).digest().toString());
      } catch (IOException | IllegalArgumentException e) {
        throw new BuildException(
            "build context " + imported.display() + " cannot be read: " + e.getMessage(), e);
      }
      resolved.put(key, known);
    }
    return known;
  }

  private StoredImage fetch(Reference ref, Platform platform) throws IOException {
    RegistryClient client =
        registry
            .orElseThrow(
                () ->
                    new BuildException(
                        "base image "
                            + ref.familiar()
                            + " is not in the store and no registry may be used; pull or load it first"))
            .get();
    TransferListener listener = progress.pullStarted(ref.familiar());
    PullResult result;
    try {
      result = cancellation.interruptibly(() -> client.pull(ref, platform, store, listener));
    } catch (InterruptedException e) {
      // Only a cancel interrupts a pull; the build is on its way out and says why.
      throw new BuildException("pull of " + ref.familiar() + " interrupted", e);
    } finally {
      progress.pullDone(ref.familiar());
    }
    store.tag(ref, result.manifestDescriptor());
    return store
        .find(ref)
        .orElseThrow(() -> new IOException("pulled " + ref + " but the store does not show it"));
  }

  @Override
  public Optional<BaseImages.ContextConfig> namedContext(String key, Platform platform) {
    NamedContext context = contexts.get(key);
    if (context == null) {
      return Optional.empty();
    }
    if (context instanceof NamedContext.Local) {
      return Optional.of(new BaseImages.ContextConfig(Optional.empty()));
    }
    try {
      return Optional.of(
          new BaseImages.ContextConfig(Optional.of(config(image(context, platform)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Config config(StoredImage image) {
    return new Config(image.config().config().env(), image.config().config().onBuild());
  }

  @Override
  public Optional<Config> lookup(String reference, Platform platform) {
    try {
      return Optional.of(config(image(reference, platform)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
