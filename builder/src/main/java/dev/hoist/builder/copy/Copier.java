package dev.hoist.builder.copy;

import dev.hoist.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What COPY and ADD do, behind the two calls the build executor needs: a digest of the inputs for
 * the cache key, and the staged tree the layer is written from. Both walk the same plan ({@link
 * CopyPlanner}), so the key always describes what is staged.
 */
public final class Copier {
  private Copier() {}

  /**
   * A digest of everything the COPY reads (paths, types, modes, ownership, xattrs, bytes, link
   * targets; not mtimes) and of the spec's own words. The executor folds it into the step's cache
   * key. Files are streamed once and nothing is copied; an ADD of a URL without {@code --checksum}
   * downloads it to hash it.
   *
   * @throws CopyException for a source that does not exist, and the other errors {@link #stage}
   *     would report about the sources
   */
  public static Digest inputDigest(CopySpec spec) throws IOException {
    return inputs(spec).digest();
  }

  /** {@link #inputDigest} and, for telling what changed, the trail of what was read. */
  public static CopyInputs inputs(CopySpec spec) throws IOException {
    Objects.requireNonNull(spec, "spec");
    parseChmod(spec);
    SourceTree tree = SourceTree.of(spec.from());
    InputDigester digester = new InputDigester(spec, tree.isContext(), new Fetcher());
    try {
      new CopyPlanner(spec, tree, new DestinationView(spec.destinationLayers())).run(digester);
    } catch (CopyException e) {
      throw e;
    } catch (IOException e) {
      throw CopyException.of(spec, "cannot read the sources: " + e.getMessage(), e);
    }
    return new CopyInputs(digester.digest(), digester.trail());
  }

  /**
   * Writes under {@code staging} (an empty directory on the store's filesystem) exactly the tree
   * the layer must hold: the copied files at their image paths and every parent directory (the
   * image's own with its metadata, new ones 0755 owned by root or the {@code --chown} user).
   *
   * @throws CopyException with a one-line message starting with {@link CopySpec#location()}
   */
  public static CopyResult stage(CopySpec spec, Path staging) throws IOException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(staging, "staging");
    if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("staging must be an existing directory: " + staging);
    }
    try (var entries = Files.list(staging)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("staging must be empty: " + staging);
      }
    }
    Optional<ModeChange> chmod = parseChmod(spec);
    SourceTree tree = SourceTree.of(spec.from());
    DestinationView dest = new DestinationView(spec.destinationLayers());
    Optional<int[]> chown = Optional.empty();
    if (spec.chown().isPresent()) {
      try {
        chown = Optional.of(dest.owner(spec.chown().get(), staging));
      } catch (IOException | IllegalArgumentException e) {
        throw CopyException.of(spec, "--chown=" + spec.chown().get() + ": " + e.getMessage(), e);
      }
    }
    Attributes attrs = new Attributes(chown, chmod, tree.isContext());
    Stager stager = new Stager(spec, staging, dest, attrs, new Fetcher());
    try {
      new CopyPlanner(spec, tree, dest).run(stager);
      return stager.finish();
    } catch (CopyException e) {
      throw e;
    } catch (IOException e) {
      // I/O trouble (a full disk, a file that vanished, lchown without privileges) keeps its own
      // one-line text and gains the instruction's location.
      throw CopyException.of(spec, e.getMessage(), e);
    }
  }

  /** {@code --chmod}, octal or symbolic, as BuildKit reads it. */
  static Optional<ModeChange> parseChmod(CopySpec spec) throws CopyException {
    if (spec.chmod().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ModeChange.parse(spec.chmod().get()));
    } catch (IllegalArgumentException e) {
      throw CopyException.of(spec, "invalid --chmod=" + spec.chmod().get() + ": " + e.getMessage());
    }
  }
}
