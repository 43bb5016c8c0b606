package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What both backends prepare before a step starts: the user resolved in the image, the final
 * environment, and every path the step's mounts need, resolved inside the rootfs (never through a
 * symlink to the host) with the list of mount points to create and to remove again afterwards, so
 * that /etc/hosts, /proc and friends never land in the step's layer.
 */
final class StepPlan {
  /** A file of the step's /etc provided by hoist. */
  record EtcFile(Path source, String target) {}

  /** A user mount with its target resolved inside the rootfs. */
  record ResolvedMount(Mount mount, String target) {}

  final RunSpec spec;
  final RunDir dir;
  final RootfsView view;
  final ExecUser user;
  final List<String> env;
  final String workdir;
  final Path rootMount;
  final Set<String> mkdirs = new LinkedHashSet<>();
  final Set<String> touches = new LinkedHashSet<>();
  final List<String> procDevSys = new ArrayList<>();
  final List<EtcFile> etcFiles = new ArrayList<>();
  final List<ResolvedMount> mounts = new ArrayList<>();

  /**
   * Mounts of the run dir that {@link #mounts} bind from, made first (the overlays behind {@link
   * Mount.Type#OVERLAY} mounts, which appear in {@link #mounts} as writable binds).
   */
  final List<RootfsMount.Line> overlaySetup = new ArrayList<>();

  private final List<String> cleanup = new ArrayList<>();
  private final List<String> copiedUpParents = new ArrayList<>();

  private StepPlan(RunSpec spec, RunDir dir) throws IOException {
    this.spec = spec;
    this.dir = dir;
    this.view = new RootfsView(spec.rootfs().layersTopFirst());
    this.user = UserResolver.resolve(view, spec.user());
    this.env = environment(spec, user);
    this.rootMount = Files.createDirectory(dir.resolve("rootfs"));
    RootfsView.Resolved wd = view.resolve(spec.workdir(), true);
    this.workdir = wd.relative();
    for (String kernelDir : List.of("proc", "sys", "dev")) {
      if (workdir.equals(kernelDir) || workdir.startsWith(kernelDir + "/")) {
        throw new SandboxException(
            "working directory "
                + spec.workdir()
                + " is inside /"
                + kernelDir
                + ", which the sandbox mounts over; choose a directory of the image");
      }
    }
    mkdirs.addAll(wd.missing());
    for (String name : List.of("proc", "dev", "sys")) {
      procDevSys.add(mountPoint("/" + name, true));
    }
    writeEtcFiles();
    for (Mount mount : spec.mounts()) {
      if (mount.type() != Mount.Type.TMPFS && !Files.exists(mount.source().orElseThrow())) {
        throw new SandboxException(
            "bind mount source " + mount.source().get() + " does not exist on the host");
      }
      if (mount.type() == Mount.Type.OVERLAY) {
        OverlayMounts.Prepared cow = OverlayMounts.prepare(mount, dir, mounts.size());
        overlaySetup.addAll(cow.setup());
        mount = cow.bind();
      }
      boolean directory =
          mount.type() == Mount.Type.TMPFS || Files.isDirectory(mount.source().orElseThrow());
      mounts.add(new ResolvedMount(mount, mountPoint(mount.target(), directory)));
    }
  }

  static StepPlan prepare(RunSpec spec, RunDir dir) throws IOException {
    return new StepPlan(spec, dir);
  }

  /**
   * Creates the working dir and every missing mount point in the step's writable dir before any
   * mount, so that the set-up needs no mkdir of its own. A directory created in an overlay upper
   * over a lower one takes the lower's owner, mode and mtime, as overlayfs's own copy-up would.
   */
  void createPaths() throws IOException {
    Path writable = spec.rootfs().writableDir();
    for (String dir : mkdirs) {
      ensureDir(writable, dir);
    }
    for (String file : touches) {
      int slash = file.lastIndexOf('/');
      ensureDir(writable, slash < 0 ? "" : file.substring(0, slash));
      Path path = writable.resolve(file);
      if (RootfsView.attrs(path).isEmpty()) {
        Files.createFile(path);
      }
    }
  }

  private void ensureDir(Path writable, String relative) throws IOException {
    if (relative.isEmpty()) {
      return;
    }
    Path path = writable.resolve(relative);
    Optional<BasicFileAttributes> attrs = RootfsView.attrs(path);
    if (attrs.isPresent()) {
      if (attrs.get().isDirectory()) {
        return;
      }
      throw new SandboxException(
          "cannot create /" + relative + " in the step's rootfs: a file is in the way");
    }
    int slash = relative.lastIndexOf('/');
    ensureDir(writable, slash < 0 ? "" : relative.substring(0, slash));
    Files.createDirectory(path);
    if (spec.rootfs() instanceof Rootfs.Overlay overlay) {
      List<Path> layers = overlay.layersTopFirst();
      Optional<Path> lower = new RootfsView(layers.subList(1, layers.size())).lookup(relative);
      if (lower.isPresent() && Files.isDirectory(lower.get(), LinkOption.NOFOLLOW_LINKS)) {
        Path from = lower.get();
        Files.setAttribute(path, "unix:uid", Files.getAttribute(from, "unix:uid"));
        Files.setAttribute(path, "unix:gid", Files.getAttribute(from, "unix:gid"));
        Xattrs.chmod(path, (Integer) Files.getAttribute(from, "unix:mode"));
        Files.setLastModifiedTime(path, Files.getLastModifiedTime(from));
      }
    }
  }

  /** The program the step runs, when it cannot be found in the image: Docker's 127 message. */
  Optional<String> missingProgram() throws IOException {
    String program = spec.args().get(0);
    List<String> candidates = new ArrayList<>();
    if (program.contains("/")) {
      candidates.add(program.startsWith("/") ? program : "/" + workdir + "/" + program);
    } else {
      for (String p :
          env.stream()
              .filter(e -> e.startsWith("PATH="))
              .findFirst()
              .orElse("PATH=")
              .substring(5)
              .split(":")) {
        if (p.startsWith("/")) {
          candidates.add(p + "/" + program);
        }
      }
    }
    for (String candidate : candidates) {
      for (ResolvedMount m : mounts) {
        if (candidate.startsWith(m.mount().target())) {
          return Optional.empty();
        }
      }
      RootfsView.Resolved r = view.resolve(candidate, true);
      if (r.real().isPresent() && Files.isRegularFile(r.real().get(), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        program.contains("/")
            ? "exec " + program + ": no such file or directory"
            : "exec: \"" + program + "\": executable file not found in $PATH");
  }

  /**
   * Resolves a mount point, recording what must be created (and removed after the step). Returns
   * the path relative to the rootfs.
   */
  private String mountPoint(String target, boolean directory) throws IOException {
    RootfsView.Resolved r = view.resolve(target, true);
    List<String> missing = r.missing();
    if (!missing.isEmpty()) {
      recordCopiedUpParents(missing.get(0));
      for (int i = 0; i < missing.size(); i++) {
        String path = missing.get(i);
        if (i < missing.size() - 1 || directory) {
          mkdirs.add(path);
        } else {
          touches.add(path);
        }
        if (!cleanup.contains(path)) {
          cleanup.add(path);
        }
      }
    }
    return r.relative();
  }

  private void recordCopiedUpParents(String firstMissing) {
    if (!(spec.rootfs() instanceof Rootfs.Overlay overlay)) {
      return;
    }
    String parent = firstMissing;
    while (parent.contains("/")) {
      parent = parent.substring(0, parent.lastIndexOf('/'));
      if (!Files.exists(overlay.upper().resolve(parent), LinkOption.NOFOLLOW_LINKS)
          && !copiedUpParents.contains(parent)) {
        copiedUpParents.add(parent);
      }
    }
  }

  private void writeEtcFiles() throws IOException {
    StringBuilder hosts = new StringBuilder();
    hosts.append("127.0.0.1\tlocalhost\n");
    hosts.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
    hosts.append("127.0.0.1\t").append(spec.hostname()).append('\n');
    for (HostEntry entry : spec.extraHosts()) {
      hosts.append(entry.address()).append('\t').append(entry.hostname()).append('\n');
    }
    String resolv = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
    Path hostResolv = Path.of("/etc/resolv.conf");
    if (Files.isReadable(hostResolv)) {
      String content = Files.readString(hostResolv, StandardCharsets.ISO_8859_1);
      if (content.contains("nameserver") && !content.contains("127.0.0.53")) {
        resolv = content;
      }
    }
    etcFile("hosts", hosts.toString());
    etcFile("resolv.conf", resolv);
    etcFile("hostname", spec.hostname() + "\n");
  }

  private void etcFile(String name, String content) throws IOException {
    Path source = dir.resolve(name);
    Files.writeString(source, content, StandardCharsets.UTF_8);
    RootfsView.Resolved r = view.resolve("/etc/" + name, true);
    if (r.real().isPresent() && !Files.isRegularFile(r.real().get(), LinkOption.NOFOLLOW_LINKS)) {
      return; // a directory or device there: the image keeps its own, as Docker leaves it
    }
    etcFiles.add(new EtcFile(source, mountPoint("/etc/" + name, false)));
  }

  /**
   * Removes the mount points this plan created from the step's writable dir, and directories that
   * overlayfs copied up only because of them.
   */
  void cleanUp() throws IOException {
    Path writable = spec.rootfs().writableDir();
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      Path path = writable.resolve(cleanup.get(i));
      Optional<BasicFileAttributes> attrs = RootfsView.attrs(path);
      if (attrs.isEmpty()) {
        continue;
      }
      if (attrs.get().isDirectory()) {
        try (var entries = Files.list(path)) {
          if (entries.findAny().isPresent()) {
            continue;
          }
        }
        Files.delete(path);
      } else if (attrs.get().isRegularFile() && attrs.get().size() == 0) {
        Files.delete(path);
      }
    }
    if (spec.rootfs() instanceof Rootfs.Overlay overlay) {
      copiedUpParents.sort((a, b) -> b.length() - a.length());
      for (String parent : copiedUpParents) {
        Path upperDir = overlay.upper().resolve(parent);
        Optional<BasicFileAttributes> attrs = RootfsView.attrs(upperDir);
        if (attrs.isEmpty() || !attrs.get().isDirectory()) {
          continue;
        }
        try (var entries = Files.list(upperDir)) {
          if (entries.findAny().isPresent()) {
            continue;
          }
        }
        Optional<Path> lower =
            new RootfsView(overlay.layersTopFirst().subList(1, overlay.layersTopFirst().size()))
                .lookup(parent);
        if (lower.isPresent() && sameMetadata(upperDir, lower.get())) {
          Files.delete(upperDir);
        }
      }
    }
  }

  /**
   * Whether a copied-up directory still has its lower twin's owner and mode. Its mtime is not
   * compared: creating and removing hoist's own mount points changed it.
   */
  private static boolean sameMetadata(Path a, Path b) throws IOException {
    for (String attr : List.of("unix:mode", "unix:uid", "unix:gid")) {
      if (!Files.getAttribute(a, attr, LinkOption.NOFOLLOW_LINKS)
          .equals(Files.getAttribute(b, attr, LinkOption.NOFOLLOW_LINKS))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> environment(RunSpec spec, ExecUser user) {
    List<String> env = new ArrayList<>(spec.env());
    if (spec.envValue("PATH").isEmpty()) {
      env.add(0, "PATH=" + RunSpec.DEFAULT_PATH);
    }
    if (spec.envValue("HOME").isEmpty()) {
      env.add("HOME=" + user.home());
    }
    return List.copyOf(env);
  }
}
