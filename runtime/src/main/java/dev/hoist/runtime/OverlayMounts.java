package dev.hoist.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes a {@link Mount.Type#OVERLAY} mount ready in the step's run dir, so that the backends only
 * ever see plain mounts.
 *
 * <p>A directory: the source is bound read-only at {@code cow-N/lower} (so overlayfs's option
 * string holds only hoist's own paths, whatever characters the source path has), an overlay of it
 * with a fresh upper and work dir is mounted at {@code cow-N/merged}, and the step gets a writable
 * bind of {@code merged}. A single file (overlayfs mounts only directories): a copy in the run dir,
 * bound writable. Either way the writes stay in the run dir, which is deleted when the step ends,
 * fails or is cancelled (and reclaimed by the next hoist when this one was killed), and the mounts
 * exist only in the step's private mount namespace.
 */
final class OverlayMounts {
  private OverlayMounts() {}

  /**
   * A prepared overlay mount.
   *
   * @param bind the writable bind the step gets instead
   * @param setup the mounts to make first, in order, in the step's mount namespace
   */
  record Prepared(Mount bind, List<RootfsMount.Line> setup) {}

  static Prepared prepare(Mount mount, RunDir dir, int index) throws IOException {
    Path source = mount.source().orElseThrow();
    Path cow = dir.resolve("cow-" + index).toAbsolutePath().normalize();
    if (!Files.isDirectory(source)) {
      // Attributes (mode, owner, times) come along, as the step would see them through a bind.
      Files.copy(source, cow, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      return new Prepared(Mount.bind(cow, mount.target(), false), List.of());
    }
    Path lower = Files.createDirectories(cow.resolve("lower"));
    Path upper = Files.createDirectory(cow.resolve("upper"));
    Path work = Files.createDirectory(cow.resolve("work"));
    Path merged = Files.createDirectory(cow.resolve("merged"));
    String options =
        "lowerdir="
            + RootfsMount.checkOverlayPath(lower.toString())
            + ",upperdir="
            + RootfsMount.checkOverlayPath(upper.toString())
            + ",workdir="
            + RootfsMount.checkOverlayPath(work.toString())
            + ",nodev"
            + (RootfsMount.VOLATILE ? ",volatile" : "");
    return new Prepared(
        Mount.bind(merged, mount.target(), false),
        List.of(
            new RootfsMount.Line(source.toString(), lower, "none", "bind,ro,nodev"),
            new RootfsMount.Line("overlay", merged, "overlay", options)));
  }
}
