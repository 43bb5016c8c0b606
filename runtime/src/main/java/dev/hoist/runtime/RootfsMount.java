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

  static String script(StepPlan plan) throws SandboxException {
    StringBuilder sb = new StringBuilder();
    Path r = plan.rootMount;
    if (plan.spec.rootfs() instanceof Rootfs.Overlay overlay) {
      List<Path> lowers = new ArrayList<>(overlay.lowers());
      java.util.Collections.reverse(lowers); // overlayfs lists the top layer first
      Path parent = lowers.get(0).toAbsolutePath().getParent();
      boolean relative =
          parent != null
              && lowers.stream().allMatch(l -> parent.equals(l.toAbsolutePath().getParent()));
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
              + checkOverlayPath(abs(overlay.work()));
      if (options.length() > MAX_OPTIONS) {
        throw new SandboxException(
            "overlay options for "
                + lowers.size()
                + " layers exceed one page; keep the layer snapshots in one directory with short"
                + " names");
      }
      if (relative) {
        sb.append("cd ").append(Shell.quote(parent)).append('\n');
      }
      sb.append(Shell.quote(HostTools.MOUNT.toString()))
          .append(" -t overlay -o ")
          .append(Shell.quote(options + ",nodev" + (VOLATILE ? ",volatile" : "")))
          .append(" overlay ")
          .append(Shell.quote(r))
          .append("\ncd /\n");
    } else {
      Path dir = ((Rootfs.Directory) plan.spec.rootfs()).dir();
      sb.append(Shell.quote(HostTools.MOUNT.toString()))
          .append(" --bind -o nodev ")
          .append(Shell.quote(abs(dir)))
          .append(' ')
          .append(Shell.quote(r))
          .append('\n');
    }
    if (!plan.mkdirs.isEmpty()) {
      sb.append(Shell.quote(HostTools.MKDIR.toString())).append(" -p --");
      for (String d : plan.mkdirs) {
        sb.append(' ').append(Shell.quote(r.resolve(d)));
      }
      sb.append('\n');
    }
    for (String f : plan.touches) {
      sb.append(": >> ").append(Shell.quote(r.resolve(f))).append('\n');
    }
    return sb.toString();
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }

  private static String checkOverlayPath(String p) throws SandboxException {
    if (p.contains(":") || p.contains(",") || p.contains("\\")) {
      throw new SandboxException(
          "overlay layer path " + p + " contains ':', ',' or '\\'; move the store to a plain path");
    }
    return p;
  }
}
