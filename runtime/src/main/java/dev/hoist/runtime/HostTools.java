package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The host programs the sandbox drives, found once. */
final class HostTools {
  private static final List<String> DIRS =
      List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  static final Path SH = Path.of("/bin/sh");
  static final Path SETPRIV = find("setpriv").orElse(Path.of("/usr/bin/setpriv"));
  static final Path UNSHARE = find("unshare").orElse(Path.of("/usr/bin/unshare"));
  static final Path MOUNT = find("mount").orElse(Path.of("/bin/mount"));
  static final Path UMOUNT = find("umount").orElse(Path.of("/bin/umount"));
  static final Path PIVOT_ROOT = find("pivot_root").orElse(Path.of("/sbin/pivot_root"));
  static final Optional<Path> IP = find("ip");
  static final Path PRLIMIT = find("prlimit").orElse(Path.of("/usr/bin/prlimit"));

  /** The PATH given to host-side set-up processes. */
  static final String HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

  private HostTools() {}

  static Optional<Path> find(String name) {
    for (String dir : DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Checks that the util-linux programs the chroot backend needs are installed. */
  static void requireUtilLinux() throws SandboxException {
    for (Path p : List.of(SETPRIV, UNSHARE, MOUNT, UMOUNT, PIVOT_ROOT, SH)) {
      if (!Files.isExecutable(p)) {
        throw new SandboxException("the sandbox needs " + p + "; install util-linux");
      }
    }
  }

  /**
   * The ELF interpreter and libraries of setpriv and umount, from ldd: after pivot_root the host's
   * root is gone, so these two run through their interpreter from files bound under /dev/.hoist.
   */
  static List<Path> helperLibraries() throws IOException {
    List<Path> libs = new ArrayList<>();
    for (Path tool : List.of(SETPRIV, UMOUNT)) {
      for (Path lib : libraries(tool)) {
        if (libs.stream().noneMatch(l -> l.getFileName().equals(lib.getFileName()))) {
          libs.add(lib);
        }
      }
    }
    return List.copyOf(libs);
  }

  private static List<Path> libraries(Path tool) throws IOException {
    Process ldd = new ProcessBuilder("ldd", tool.toString()).redirectErrorStream(true).start();
    String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      ldd.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running ldd", e);
    }
    List<Path> libs = new ArrayList<>();
    for (String line : out.split("\n")) {
      String l = line.strip();
      String path = null;
      int arrow = l.indexOf("=> ");
      if (arrow >= 0) {
        path = l.substring(arrow + 3).split(" ")[0];
      } else if (l.startsWith("/")) {
        path = l.split(" ")[0];
      }
      if (path != null && path.startsWith("/")) {
        libs.add(Path.of(path));
      }
    }
    if (libs.stream().noneMatch(p -> p.getFileName().toString().startsWith("ld-"))) {
      throw new SandboxException("cannot find the ELF interpreter of " + tool + " with ldd");
    }
    return List.copyOf(libs);
  }
}
