package dev.hoist.builder.build;

import dev.hoist.runtime.FileOwner;
import dev.hoist.runtime.RootfsView;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layer of a WORKDIR, as BuildKit's {@code mkdir -p} with the stage's USER makes it: every
 * directory it creates is 0755 and owned by that user ({@link FileOwner}'s rules); the directories
 * on the way that the image already has are repeated with their own owner, mode and time, so the
 * layer changes nothing there (a 1777 /tmp stays 1777). Symlinks in the image are followed.
 */
final class WorkdirDirs {
  private WorkdirDirs() {}

  /**
   * Writes into {@code staging} what WORKDIR {@code path} adds to the image whose layers are {@code
   * topFirst}; nothing when the directory is already there.
   *
   * @param location where the instruction is, for errors ({@code Dockerfile:3})
   * @throws BuildException when something on the path is in the image but is not a directory
   */
  static void create(Path staging, List<Path> topFirst, String path, String user, String location)
      throws IOException {
    RootfsView view = new RootfsView(topFirst.isEmpty() ? List.of(staging) : topFirst);
    RootfsView.Resolved target = view.resolve(path, true);
    if (target.exists() && Files.isDirectory(target.real().get())) {
      return;
    }
    FileOwner owner = FileOwner.resolve(view, user);
    String[] parts = target.relative().split("/");
    Map<Path, Instant> times = new LinkedHashMap<>();
    String prefix = "";
    for (int i = 0; i < parts.length; i++) {
      prefix = i == 0 ? parts[0] : prefix + "/" + parts[i];
      Path dir = staging.resolve(prefix);
      Optional<FileStat> existing =
          i < target.existingComponents() ? stat(view, prefix) : Optional.empty();
      if (existing.isPresent() && !existing.get().isDirectory()) {
        throw new BuildException(
            location
                + ": WORKDIR "
                + path
                + ": /"
                + prefix
                + " is in the image but is not a directory; remove it first or choose another"
                + " path");
      }
      Files.createDirectory(dir);
      if (existing.isPresent()) {
        FileStat s = existing.get();
        Posix.lchown(dir, s.uid(), s.gid());
        Posix.chmod(dir, s.permissions());
        times.put(dir, s.mtime());
      } else {
        Posix.lchown(dir, owner.uid(), owner.gid());
        Posix.chmod(dir, 0755);
      }
    }
    // Deepest first: setting a parent's time before its child is made would be undone.
    List<Map.Entry<Path, Instant>> dirs = new ArrayList<>(times.entrySet());
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Posix.lutimes(dirs.get(i).getKey(), dirs.get(i).getValue(), dirs.get(i).getValue());
    }
  }

  private static Optional<FileStat> stat(RootfsView view, String relative) throws IOException {
    Optional<Path> real = view.lookup(relative);
    return real.isEmpty() ? Optional.empty() : Optional.of(Posix.lstat(real.get()));
  }
}
