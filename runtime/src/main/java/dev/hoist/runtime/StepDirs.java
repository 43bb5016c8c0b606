package dev.hoist.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fresh overlay upper and work dir for one step, under the sandbox's work root and locked like
 * the sandbox's own run dirs: deleted on {@link #close()}, and reclaimed by the next {@link
 * Sandboxes#select} when a killed hoist could not close it.
 */
public final class StepDirs implements AutoCloseable {
  private final RunDir dir;
  private final Path upper;
  private final Path work;

  private StepDirs(RunDir dir) throws IOException {
    this.dir = dir;
    this.upper = Files.createDirectory(dir.resolve("upper"));
    this.work = Files.createDirectory(dir.resolve("work"));
  }

  /** Creates an empty upper and work dir under {@code workRoot} (the store's .hoist/work). */
  public static StepDirs create(Path workRoot) throws IOException {
    RunDir dir = RunDir.create(workRoot.toAbsolutePath());
    try {
      return new StepDirs(dir);
    } catch (IOException e) {
      dir.close();
      throw e;
    }
  }

  /** The upper dir: receives the step's changes. */
  public Path upper() {
    return upper;
  }

  /** overlayfs's work dir, on the same filesystem as the upper. */
  public Path work() {
    return work;
  }

  /** An overlay of {@code lowers} (bottom first) with these dirs. */
  public Rootfs.Overlay overlay(java.util.List<Path> lowers) {
    return new Rootfs.Overlay(lowers, upper, work);
  }

  /** Deletes both dirs and everything the step left in them. */
  @Override
  public void close() throws IOException {
    dir.close();
  }
}
