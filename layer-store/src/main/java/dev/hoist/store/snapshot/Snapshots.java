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
import java.util.Set;
import java.util.stream.Collectors;
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
    if (Files.isDirectory(target) && store.markInUse(target)) {
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
      return adopt(temp, diffId);
    } finally {
      FileTrees.deleteRecursively(temp);
    }
  }

  /**
   * Makes {@code tree}, a directory on the snapshots' filesystem that holds the unpacked layer
   * whose uncompressed digest is {@code diffId}, that layer's snapshot by renaming it; if the
   * snapshot exists already, marks it in use and leaves {@code tree} where it is. Either way the
   * snapshot is marked in use by this store's lease (see {@link Store#markInUse}).
   */
  public Path adopt(Path tree, Digest diffId) throws IOException {
    Path target = dir.resolve(name(diffId));
    if (Files.isDirectory(target) && store.markInUse(target)) {
      return target;
    }
    // Dated now before it takes its name: a layer's "./" entry may have dated it years back, and
    // a prune keeps a snapshot no image names only while it is newer than every live lease.
    store.markInUse(tree);
    while (true) {
      try {
        Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        // Another process unpacked the same layer first; theirs is as good as ours.
      } catch (FileSystemException e) {
        // rename(2) onto a non-empty directory fails with ENOTEMPTY, which the JDK reports as a
        // plain FileSystemException ("Directory not empty"), not DirectoryNotEmptyException.
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
      if (store.markInUse(target)) {
        return target;
      }
      // A prune took theirs between our rename and our mark: ours takes the name after all.
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

  /**
   * Removes snapshots of layers no image uses and unpacks whose process died. A snapshot a running
   * build uses is newer than the cutoff: {@link #get} marks it in use under the store lock, which
   * prune holds. Removed snapshots go to the store's trash, which prune empties after the lock.
   */
  @Override
  public PruneResult.Part prune(Live live) throws IOException {
    Set<String> keep = live.diffIds().stream().map(Snapshots::name).collect(Collectors.toSet());
    int removed = 0;
    long bytes = 0;
    if (!Files.isDirectory(dir)) {
      return new PruneResult.Part("snapshots", 0, 0);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (!removable(p.getFileName().toString(), p, keep, live)) {
          continue;
        }
        bytes += FileTrees.size(p);
        store.discard(p);
        removed++;
      }
    }
    return new PruneResult.Part("snapshots", removed, bytes);
  }

  private static boolean removable(String name, Path p, Set<String> keep, Live live)
      throws IOException {
    if (name.startsWith(TEMP_PREFIX)) {
      // An unpack in progress, or left by a process that died; its age says nothing, because
      // the layer's own "./" entry may have dated it.
      return !UniqueNames.ownerAlive(name.substring(TEMP_PREFIX.length()));
    }
    if (keep.contains(name)) {
      return false;
    }
    FileTime modified = Files.getLastModifiedTime(p);
    return !modified.toInstant().isAfter(live.cutoff());
  }
}
