package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The built-in backend ({@code --isolation chroot}), needing only the kernel and util-linux.
 *
 * <p>The JVM never forks or unshares itself. It starts {@code unshare --mount --uts --ipc --pid
 * [--net] --fork --kill-child --propagation private} running the host's /bin/sh on a generated
 * script, which inside the new namespaces mounts the overlay, /proc (Docker's masked and read-only
 * paths), /sys read-only, a minimal /dev (the run dir's template, bound nodev), /etc/hosts,
 * /etc/resolv.conf and /etc/hostname (bound from the run dir, so never written into the layer) and
 * the step's own mounts, moves into the rootfs with {@code pivot_root} and detaches the host's
 * root, then execs util-linux {@code setpriv} (through its ELF interpreter, bound read-only under
 * /dev/.hoist since the image need not have a libc) to drop to Docker's capability set, set
 * no_new_privs and the user, and exec the program, which becomes PID 1. All mounts live in the
 * step's mount namespace: nothing is visible on the host, and everything vanishes with the step,
 * even when hoist is SIGKILLed.
 */
public final class NamespaceSandbox implements Sandbox {
  private final Path workRoot;
  private final List<Path> helperLibraries;
  private final Path helpers;
  private final Cgroups cgroups;

  /** A sandbox whose per-step work dirs live under {@code workRoot} (the store's .hoist/work). */
  public NamespaceSandbox(Path workRoot) throws IOException {
    this.workRoot = workRoot.toAbsolutePath();
    HostTools.requireUtilLinux();
    this.helperLibraries = HostTools.helperLibraries();
    this.helpers = helperDir(this.workRoot, helperLibraries);
    this.cgroups = new Cgroups();
    RunDir.reclaimStale(this.workRoot, cgroups::removeStale);
  }

  @Override
  public Isolation isolation() {
    return Isolation.CHROOT;
  }

  @Override
  public String describe() {
    return "chroot (util-linux unshare + pivot_root)";
  }

  @Override
  public RunResult run(RunSpec spec) throws IOException, InterruptedException {
    long start = System.nanoTime();
    try (RunDir dir = RunDir.create(workRoot)) {
      StepPlan plan = StepPlan.prepare(spec, dir);
      Optional<String> missing = plan.missingProgram();
      if (missing.isPresent()) {
        spec.stderr().write((missing.get() + "\n").getBytes(StandardCharsets.UTF_8));
        spec.stderr().flush();
        return new RunResult(127, false, Duration.ofNanos(System.nanoTime() - start));
      }
      List<Path> cgroupDirs = cgroups.create(dir.id(), spec.resources());
      try {
        plan.createPaths();
        Path script = dir.resolve("setup.sh");
        Files.writeString(script, script(plan, cgroupDirs));
        List<String> command = new ArrayList<>();
        command.add(HostTools.UNSHARE.toString());
        command.addAll(List.of("--mount", "--uts", "--ipc", "--pid"));
        if (spec.network() == Network.NONE) {
          command.add("--net");
        }
        command.addAll(List.of("--fork", "--kill-child", "--propagation", "private", "--"));
        command.addAll(List.of(HostTools.SH.toString(), script.toString()));
        return SetupLog.runWrapper(command, dir, spec, start);
      } finally {
        cgroups.remove(cgroupDirs);
        plan.cleanUp();
      }
    }
  }

  private String script(StepPlan plan, List<Path> cgroupDirs) throws IOException {
    RunSpec spec = plan.spec;
    Path r = plan.rootMount;
    Path dev = plan.dir.resolve("dev");
    writeDevTemplate(dev);
    StringBuilder sb = new StringBuilder();
    sb.append("set -e\n");
    // Set-up errors go to a log hoist reads; the step's stderr is restored right before exec.
    sb.append("exec 2>")
        .append(Shell.quote(plan.dir.resolve(SetupLog.LOG)))
        .append(" 4>")
        .append(Shell.quote(plan.dir.resolve(SetupLog.STARTED)))
        .append('\n');
    for (Path cg : cgroupDirs) {
      sb.append("echo $$ > ").append(Shell.quote(cg.resolve("cgroup.procs"))).append('\n');
    }
    // Every mount in one mount(8) call: the rootfs first, then what goes into it (the mount
    // points exist already: StepPlan.createPaths made them in the writable dir).
    Path fstab = plan.dir.resolve("fstab");
    RootfsMount.Line rootfs = RootfsMount.line(plan);
    Fstab first = new Fstab();
    first.add(rootfs.source(), rootfs.target(), rootfs.type(), rootfs.options());
    Files.writeString(fstab, first + fstabBeforeDev(plan) + fstabAfterDev(plan));
    RootfsMount.chdir(plan).ifPresent(d -> sb.append("cd ").append(Shell.quote(d)).append('\n'));
    sb.append(Shell.quote(HostTools.MOUNT.toString()))
        .append(" -a -T ")
        .append(Shell.quote(fstab))
        .append("\ncd /\n");
    sb.append("echo ")
        .append(Shell.quote(spec.hostname()))
        .append(" > /proc/sys/kernel/hostname\n");
    if (spec.network() == Network.NONE && HostTools.IP.isPresent()) {
      sb.append(Shell.quote(HostTools.IP.get().toString())).append(" link set lo up\n");
    }
    // The shell's limits are the program's: setpriv execs it with them, and they can only be
    // raised here, while the shell still holds CAP_SYS_RESOURCE.
    if (!spec.ulimits().isEmpty()) {
      sb.append(Shell.quote(HostTools.PRLIMIT.toString()))
          .append(" --pid $$ ")
          .append(Shell.words(spec.ulimits().stream().map(Ulimit::prlimitOption).toList()))
          .append('\n');
    }
    sb.append("cd ").append(Shell.quote(r)).append('\n');
    sb.append(Shell.quote(HostTools.PIVOT_ROOT.toString())).append(" . .\n");
    sb.append(Shell.quote("/dev/.hoist/" + loader()))
        .append(" --library-path /dev/.hoist /dev/.hoist/umount -l .\n");
    sb.append("cd /\n");
    sb.append("cd ").append(Shell.quote("/" + plan.workdir)).append('\n');
    sb.append("umask 0022\n");
    sb.append("echo ok >&4\n");
    sb.append("exec 2>&3 3>&- 4>&-\n");
    sb.append("unset PATH PWD OLDPWD\n");
    for (String e : plan.env) {
      sb.append("export ").append(Shell.quote(e)).append('\n');
    }
    List<String> exec = new ArrayList<>();
    exec.add("/dev/.hoist/" + loader());
    exec.add("--library-path");
    exec.add("/dev/.hoist");
    exec.add("/dev/.hoist/setpriv");
    exec.add("--nnp");
    exec.add("--inh-caps=-all");
    exec.add(
        "--bounding-set=-all,"
            + DockerDefaults.CAPABILITIES.stream()
                .map(c -> "+" + c.substring(4).toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(",")));
    exec.add("--regid=" + plan.user.gid());
    exec.add("--reuid=" + plan.user.uid());
    if (plan.user.supplementaryGroups().isEmpty()) {
      exec.add("--clear-groups");
    } else {
      exec.add(
          "--groups="
              + plan.user.supplementaryGroups().stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(",")));
    }
    exec.add("--pdeathsig=KILL");
    exec.add("--");
    exec.addAll(spec.args());
    sb.append("exec ").append(Shell.words(exec)).append('\n');
    return sb.toString();
  }

  /**
   * A read-only copy of setpriv, umount and their libraries, made once per host build of them (the
   * name keys on their paths, sizes and mtimes) and bound at /dev/.hoist with one mount.
   */
  private static Path helperDir(Path workRoot, List<Path> libraries) throws IOException {
    List<Path> files = new ArrayList<>(libraries);
    files.add(HostTools.SETPRIV);
    files.add(HostTools.UMOUNT);
    StringBuilder key = new StringBuilder();
    for (Path f : files) {
      Path real = f.toRealPath();
      key.append(real).append(Files.size(real)).append(Files.getLastModifiedTime(real));
    }
    String name =
        ".helpers-"
            + dev.hoist.image.Digest.sha256(key.toString().getBytes(StandardCharsets.UTF_8))
                .hex()
                .substring(0, 16);
    Path dir = workRoot.resolve(name);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(workRoot);
    Path temp = Files.createTempDirectory(workRoot, ".helpers-tmp-");
    try {
      for (Path f : files) {
        Path target = temp.resolve(f.getFileName());
        Files.copy(f.toRealPath(), target);
        Xattrs.chmod(target, 0555);
      }
      Xattrs.chmod(temp, 0755);
      Files.move(temp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException
        | java.nio.file.DirectoryNotEmptyException raced) {
      // Another hoist made the same copy first.
    } finally {
      RunDir.deleteTree(temp);
    }
    return dir;
  }

  private String loader() {
    return helperLibraries.stream()
        .filter(p -> p.getFileName().toString().startsWith("ld-"))
        .findFirst()
        .orElseThrow()
        .getFileName()
        .toString();
  }

  /** /proc with its masks, /sys read-only, and /dev. */
  private static String fstabBeforeDev(StepPlan plan) {
    Path r = plan.rootMount;
    Fstab f = new Fstab();
    Path proc = r.resolve(plan.procDevSys.get(0));
    Path sys = r.resolve(plan.procDevSys.get(2));
    f.add("proc", proc, "proc", "nosuid,nodev,noexec");
    f.add("sysfs", sys, "sysfs", "ro,nosuid,nodev,noexec");
    for (String masked : DockerDefaults.MASKED_PATHS) {
      Path host = Path.of(masked);
      Path target =
          r.resolve(masked.startsWith("/proc") ? plan.procDevSys.get(0) : plan.procDevSys.get(2))
              .resolve(masked.substring(masked.indexOf('/', 1) + 1));
      if (Files.isDirectory(host)) {
        f.add("tmpfs", target, "tmpfs", "ro,nosuid,nodev,noexec,size=0");
      } else if (Files.exists(host)) {
        f.add("/dev/null", target, "none", "bind,ro");
      }
    }
    for (String ro : DockerDefaults.READONLY_PATHS) {
      if (Files.exists(Path.of(ro))) {
        Path target = proc.resolve(ro.substring(6));
        f.add(target.toString(), target, "none", "bind,ro,nosuid,nodev,noexec");
      }
    }
    // /dev is this run's own template dir, bound nodev: one mount instead of a tmpfs plus a
    // copy, and it is deleted with the run dir.
    f.add(
        plan.dir.resolve("dev").toString(),
        r.resolve(plan.procDevSys.get(1)),
        "none",
        "bind,nosuid,nodev,noexec");
    return f.toString();
  }

  /** Device nodes, ptys, shm, mqueue, the /etc files, the step's mounts, the exec helpers. */
  private String fstabAfterDev(StepPlan plan) {
    Path r = plan.rootMount;
    Path dev = r.resolve(plan.procDevSys.get(1));
    Fstab f = new Fstab();
    for (String node : DockerDefaults.DEVICES) {
      f.add("/dev/" + node, dev.resolve(node), "none", "bind");
    }
    f.add(
        "devpts",
        dev.resolve("pts"),
        "devpts",
        "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5");
    f.add(
        "shm",
        dev.resolve("shm"),
        "tmpfs",
        "nosuid,nodev,noexec,mode=1777," + plan.spec.shmSizeOption());
    f.add("mqueue", dev.resolve("mqueue"), "mqueue", "nosuid,nodev,noexec");
    f.add(helpers.toString(), dev.resolve(".hoist"), "none", "bind,ro,nosuid,nodev");
    for (StepPlan.EtcFile etc : plan.etcFiles) {
      f.add(etc.source().toString(), r.resolve(etc.target()), "none", "bind,nosuid,nodev");
    }
    for (RootfsMount.Line cow : plan.overlaySetup) {
      f.add(cow.source(), cow.target(), cow.type(), cow.options());
    }
    for (StepPlan.ResolvedMount m : plan.mounts) {
      Path target = r.resolve(m.target());
      String ro = m.mount().readOnly() ? ",ro" : "";
      if (m.mount().type() == Mount.Type.BIND) {
        f.add(m.mount().source().orElseThrow().toString(), target, "none", "rbind,nodev" + ro);
      } else {
        f.add("tmpfs", target, "tmpfs", "nosuid,nodev,mode=1777" + ro);
      }
    }
    return f.toString();
  }

  private void writeDevTemplate(Path dev) throws IOException {
    Files.createDirectories(dev.resolve(".hoist"));
    for (String d : List.of("pts", "shm", "mqueue")) {
      Files.createDirectory(dev.resolve(d));
    }
    for (String node : DockerDefaults.DEVICES) {
      Files.createFile(dev.resolve(node));
    }
    Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
    Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
    Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
    Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
    Files.createSymbolicLink(dev.resolve("ptmx"), Path.of("pts/ptmx"));
  }

  /** An fstab file for {@code mount -a -T}. */
  private static final class Fstab {
    private final StringBuilder lines = new StringBuilder();

    void add(String source, Path target, String type, String options) {
      lines
          .append(Shell.fstabField(source))
          .append(' ')
          .append(Shell.fstabField(target.toString()))
          .append(' ')
          .append(type)
          .append(' ')
          .append(options)
          .append(" 0 0\n");
    }

    @Override
    public String toString() {
      return lines.toString();
    }
  }
}
