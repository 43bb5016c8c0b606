package dev.hoist.store.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A real overlayfs mount made with mount(8) for a test; close() unmounts it. */
final class OverlayMount implements AutoCloseable {
  private final Path merged;

  private OverlayMount(Path merged) {
    this.merged = merged;
  }

  /** Mounts lower dirs (top first) with upper and work dirs created under {@code base}. */
  static OverlayMount mount(Path base, List<Path> lowers) throws IOException, InterruptedException {
    Path upper = Files.createDirectories(base.resolve("upper"));
    Path work = Files.createDirectories(base.resolve("work"));
    Path merged = Files.createDirectories(base.resolve("merged"));
    String options =
        "lowerdir="
            + lowers.stream().map(Path::toString).collect(Collectors.joining(":"))
            + ",upperdir="
            + upper
            + ",workdir="
            + work;
    run("mount", "-t", "overlay", "overlay", "-o", options, merged.toString());
    return new OverlayMount(merged);
  }

  Path merged() {
    return merged;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", merged.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
  }
}
