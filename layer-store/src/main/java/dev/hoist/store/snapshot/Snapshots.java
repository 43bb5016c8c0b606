package dev.hoist.store.snapshot;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.store.FileTrees;
import dev.hoist.store.PruneHook;
import dev.hoist.store.PruneResult;
import dev.hoist.store.Store;
import dev.hoist.store.UniqueNames;
import dev.hoist.store.layer.AppliedLayer;
import dev.hoist.store.layer.ApplyOptions;
import dev.hoist.store.layer.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Unpacked layers, each once, shared by every step and every process that needs it as an overlay
 * lower dir. A snapshot lives at {@code .hoist/snapshots/<first 16 hex digits of the diff id>}:
 * short, so that an overlay mount of many lowers fits in one page of mount options. It is unpacked
 * into a temporary directory and renamed into place, so a snapshot that exists is complete; two
 * processes unpacking the same layer both succeed and one result is kept.
 */
public final class Snapshots implements PruneHook {
  private static final int NAME_DIGITS = 16;
  private static final String TEMP_PREFIX = ".tmp-";
  private final Store store;
  private final Path dir;

  public Snapshots(Store store) {
    this.store = Objects.requireNonNull(store, "store");
    this.dir = store.snapshotsDir();
  }

  /** The directory that holds every snapshot; lower dirs may be given relative to it. */
  public Path dir() {
    return dir;
  }

  /** The snapshot directory name of a layer with {@code diffId}. */
  public static String name(Digest diffId) {
    return diffId.hex().substring(0, NAME_DIGITS);
  }

  /**
   * The snapshot of {@code layer} (a blob in the store) whose uncompressed digest is {@code
   * diffId}, unpacked now if it is not there yet. The layer's bytes are checked against both
   * digests while unpacking.
   */
  public Path get(Descriptor layer, Digest diffId) throws IOException {
    Path target = dir.resolve(name(diffId));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path temp = dir.resolve(TEMP_PREFIX + UniqueNames.next());
    Files.createDirectories(temp);
    try {
      AppliedLayer applied;
      try (InputStream in = store.open(layer.digest())) {
        applied =
            new LayerApplier(ApplyOptions.overlayLower(layer.digest()).withExpectedDiffId(diffId))
                .apply(in, temp);
        // The store verifies a blob's digest when it is read to the end: read what the tar
        // reader left (padding after the end-of-archive blocks) so that check always runs.
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      Objects.requireNonNull(applied);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        // Another process unpacked the same layer first; theirs is as good as ours.
      } catch (FileSystemException e) {
        // rename(2) onto a non-empty directory fails with ENOTEMPTY, which the JDK reports as a
        // plain FileSystemException ("Directory not empty"), not DirectoryNotEmptyException.
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      return target;
    } finally {
      FileTrees.deleteRecursively(temp);
    }
  }

  /** The snapshots of an image's layers, bottom first. */
  public List<Path> getAll(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IOException(
          "image has "
              + layers.size()
              + " layers but its config lists "
              + diffIds.size()
              + " diff ids; the image is corrupt");
    }
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      out.add(get(layers.get(i), diffIds.get(i)));
    }
    return out;
  }

  /** Removes snapshots of layers no image uses, and unpacks a crash left behind. */
  @Override
  public PruneResult.Part prune(Live live) throws IOException {
    List<String> keep = live.diffIds().stream().map(Snapshots::name).toList();
    int removed = 0;
    long bytes = 0;
    if (!Files.isDirectory(dir)) {
      return new PruneResult.Part("snapshots", 0, 0);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (keep.contains(name)) {
          continue;
        }
        FileTime modified = Files.getLastModifiedTime(p);
        if (modified.toInstant().isAfter(live.cutoff())) {
          continue; // may belong to a build that is still running
        }
        bytes += FileTrees.size(p);
        FileTrees.deleteRecursively(p);
        removed++;
      }
    }
    return new PruneResult.Part("snapshots", removed, bytes);
  }
}
