package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell lines that mount a step's rootfs at its mount point inside the step's private mount
 * namespace, and create the mount points the plan needs. Shared by both backends.
 */
final class RootfsMount {
  /** overlayfs takes its options in one page. */
  private static final int MAX_OPTIONS = 4000;

  /**
   * overlayfs's {@code volatile} (Linux 5.10+) skips the syncfs of the upper filesystem at mount
   * and unmount, which costs more than the rest of a step's set-up. An upper dir is scratch until
   * the store has written and fsynced the layer made from it, so nothing durable is lost.
   */
  static final boolean VOLATILE = kernelAtLeast(5, 10);

  private RootfsMount() {}

  static boolean kernelAtLeast(int major, int minor) {
    String[] v = System.getProperty("os.version", "0.0").split("[.-]");
    try {
      int ma = Integer.parseInt(v[0]);
      int mi = v.length > 1 ? Integer.parseInt(v[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The overlay (or bind) mount of the rootfs as fields of one fstab line. */
  record Line(String source, Path target, String type, String options) {}

  /**
   * The rootfs mount. For an overlay with all lowers in one directory the lower paths are relative
   * to it: {@link #chdir} must be the mounting process's working directory.
   */
  static Line line(StepPlan plan) throws SandboxException {
    Path r = plan.rootMount;
    if (plan.spec.rootfs() instanceof Rootfs.Overlay overlay) {
      List<Path> lowers = new ArrayList<>(overlay.distinctLowers());
      java.util.Collections.reverse(lowers); // overlayfs lists the top layer first
      boolean relative = chdir(plan).isPresent();
      StringBuilder lowerdir = new StringBuilder();
      for (Path lower : lowers) {
        if (lowerdir.length() > 0) {
          lowerdir.append(':');
        }
        lowerdir.append(checkOverlayPath(relative ? lower.getFileName().toString() : abs(lower)));
      }
      String options =
          "lowerdir="
              + lowerdir
              + ",upperdir="
              + checkOverlayPath(abs(overlay.upper()))
              + ",workdir="
              + checkOverlayPath(abs(overlay.work()))
              + ",nodev"
              + (VOLATILE ? ",volatile" : "");
      if (options.length() > MAX_OPTIONS) {
        throw new SandboxException(
            "overlay options for "
                + lowers.size()
                + " layers exceed one page; keep the layer snapshots in one directory with short"
                + " names");
      }
      return new Line("overlay", r, "overlay", options);
    }
    Path dir = ((Rootfs.Directory) plan.spec.rootfs()).dir();
    return new Line(abs(dir), r, "none", "bind,nodev");
  }

  /** The directory holding every lower, when there is one. */
  static java.util.Optional<Path> chdir(StepPlan plan) {
    if (!(plan.spec.rootfs() instanceof Rootfs.Overlay overlay)) {
      return java.util.Optional.empty();
    }
    Path parent = overlay.lowers().get(0).toAbsolutePath().getParent();
    boolean shared =
        parent != null
            && overlay.lowers().stream()
                .allMatch(l -> parent.equals(l.toAbsolutePath().getParent()));
    return shared ? java.util.Optional.of(parent) : java.util.Optional.empty();
  }

  /** Shell lines that mount the rootfs with its own mount(8) call (the OCI backend's way). */
  static String script(StepPlan plan) throws SandboxException {
    StringBuilder sb = new StringBuilder();
    chdir(plan).ifPresent(d -> sb.append("cd ").append(Shell.quote(d)).append('\n'));
    sb.append(command(line(plan))).append("cd /\n");
    return sb.toString();
  }

  /** One mount(8) call making {@code line}'s mount, as a shell line. */
  static String command(Line line) {
    return Shell.quote(HostTools.MOUNT.toString())
        + " -t "
        + line.type()
        + " -o "
        + Shell.quote(line.options())
        + ' '
        + Shell.quote(line.source())
        + ' '
        + Shell.quote(line.target())
        + '\n';
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  static String checkOverlayPath(String p) throws SandboxException {
    if (p.contains(":") || p.contains(",") || p.contains("\\")) {
      throw new SandboxException(
          "overlay layer path " + p + " contains ':', ',' or '\\'; move the store to a plain path");
    }
    return p;
  }
}
