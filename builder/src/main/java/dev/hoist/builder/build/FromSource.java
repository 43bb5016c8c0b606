package dev.hoist.builder.build;

import dev.hoist.builder.context.DockerIgnore;
import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.copy.FileSource;
import dev.hoist.builder.plan.ContextNames;
import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code --from} name ({@code COPY --from}, {@code RUN --mount=from}) reads, found as
 * BuildKit finds it: a stage of that name or number (which a named context may have replaced), else
 * a named build context, else an image.
 */
sealed interface FromSource {
  /** A stage of this build. */
  record Built(StageImage stage) implements FromSource {}

  /** A local directory given as a named context, with its own {@code .dockerignore}. */
  record Directory(Path dir, IgnoreMatcher ignore) implements FromSource {
    FileSource.Context files() {
      return new FileSource.Context(dir, ignore);
    }
  }

  /** An image: a base image by reference, or one a named context stands for. */
  record Image(StoredImage image) implements FromSource {}

  static FromSource resolve(BuildSession session, String from, Platform platform, String location)
      throws IOException {
    Optional<StageImage> built = session.stageIndex(from).map(session.stages()::get);
    if (built.isPresent()) {
      return new Built(built.get());
    }
    Optional<NamedContext> named =
        ContextNames.lookupKey(from).flatMap(key -> session.bases().context(key));
    if (named.isPresent()) {
      if (named.get() instanceof NamedContext.Local local) {
        return new Directory(local.dir(), DockerIgnore.load(local.dir(), Optional.empty()));
      }
      return new Image(session.bases().image(named.get(), platform));
    }
    String reference;
    try {
      reference = Reference.parse(from).toString();
    } catch (IllegalArgumentException e) {
      throw new BuildException(location + ": --from=" + from + ": " + e.getMessage());
    }
    return new Image(session.bases().image(reference, platform));
  }

  /** The layers of a stage or image; none for a directory. */
  default List<Descriptor> layers() {
    if (this instanceof Built b) {
      return b.stage().layers();
    }
    if (this instanceof Image i) {
      return i.image().manifest().layers();
    }
    return List.of();
  }

  /** The diff ids of {@link #layers()}. */
  default List<Digest> diffIds() {
    if (this instanceof Built b) {
      return b.stage().config().diffIds();
    }
    if (this instanceof Image i) {
      return i.image().config().diffIds();
    }
    return List.of();
  }
}
