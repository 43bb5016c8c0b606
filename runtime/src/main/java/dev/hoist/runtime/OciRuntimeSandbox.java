package dev.hoist.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OCI backend ({@code --isolation oci}): an OCI runtime (runc by default) driven by a generated
 * runtime-spec {@code config.json}.
 *
 * <p>runc cannot mount an overlay as the container's root, and an overlay mounted on the host would
 * outlive a SIGKILLed hoist. So runc itself runs inside {@code unshare --mount --pid --fork
 * --kill-child --propagation private}: the wrapper script mounts the overlay in that private
 * namespace and execs runc, which becomes PID 1 of a PID namespace holding the container. When
 * hoist dies, the parent-death signal kills the wrapper, the PID namespace and the container with
 * it, and the overlay vanishes with the mount namespace; the next start deletes the dead
 * container's runc state.
 */
public final class OciRuntimeSandbox implements Sandbox {
  /** Created on first use: `hoist version` loads this class but never writes a config. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Path runtime;
  private final Path workRoot;
  private final Path stateRoot;
  private final String version;

  /** A sandbox driving {@code runtime} (e.g. /usr/sbin/runc), work dirs under {@code workRoot}. */
  public OciRuntimeSandbox(Path runtime, Path workRoot) throws IOException {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.workRoot = workRoot.toAbsolutePath();
    this.stateRoot = this.workRoot.resolve(".runc");
    HostTools.requireUtilLinux();
    this.version =
        runtimeVersion(runtime)
            .orElseThrow(
                () ->
                    new SandboxException(
                        "OCI runtime "
                            + runtime
                            + " does not answer --version; install runc or use --isolation"
                            + " chroot"));
    Files.createDirectories(stateRoot);
    RunDir.reclaimStale(this.workRoot, this::deleteContainer);
  }

  /** The runtime's first version line, when it runs. */
  static Optional<String> runtimeVersion(Path runtime) {
    if (!Files.isExecutable(runtime)) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(runtime.toString(), "--version").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 || out.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(out.lines().findFirst().orElse("").strip());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public Isolation isolation() {
    return Isolation.OCI;
  }

  @Override
  public String describe() {
    return "oci (" + runtime + ", " + version + ")";
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
      String id = containerId(dir.id());
      try {
        plan.createPaths();
        Files.write(dir.resolve("config.json"), Json.MAPPER.writeValueAsBytes(config(plan)));
        Path script = dir.resolve("setup.sh");
        Files.writeString(script, script(plan, id));
        List<String> command =
            List.of(
                HostTools.UNSHARE.toString(),
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "--propagation",
                "private",
                "--",
                HostTools.SH.toString(),
                script.toString());
        return SetupLog.runWrapper(command, dir, spec, start);
      } finally {
        if (Files.exists(stateRoot.resolve(id))) {
          deleteContainer(dir.id());
        }
        plan.cleanUp();
      }
    }
  }

  private static String containerId(String runId) {
    return "hoist-" + runId;
  }

  private void deleteContainer(String runId) {
    try {
      Process p =
          new ProcessBuilder(
                  runtime.toString(),
                  "--root",
                  stateRoot.toString(),
                  "delete",
                  "--force",
                  containerId(runId))
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } catch (IOException e) {
      // Best effort: a container that cannot be deleted now is retried on the next start.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String script(StepPlan plan, String id) {
    StringBuilder sb = new StringBuilder();
    sb.append("set -e\n");
    sb.append("exec 2>")
        .append(Shell.quote(plan.dir.resolve(SetupLog.LOG)))
        .append(" 4>")
        .append(Shell.quote(plan.dir.resolve(SetupLog.STARTED)))
        .append('\n');
    try {
      sb.append(RootfsMount.script(plan));
    } catch (SandboxException e) {
      throw new IllegalStateException(e);
    }
    // The overlays behind copy-on-write binds, in this namespace: runc binds them from here.
    for (RootfsMount.Line cow : plan.overlaySetup) {
      sb.append(RootfsMount.command(cow));
    }
    sb.append("echo ok >&4\n");
    sb.append("exec 2>&3 3>&- 4>&-\n");
    sb.append("exec ")
        .append(
            Shell.words(
                List.of(
                    runtime.toString(),
                    "--root",
                    stateRoot.toString(),
                    "run",
                    "--bundle",
                    plan.dir.path().toString(),
                    id)))
        .append('\n');
    return sb.toString();
  }

  private static ObjectNode config(StepPlan plan) {
    RunSpec spec = plan.spec;
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("ociVersion", "1.0.2");
    ObjectNode process = root.putObject("process");
    process.put("terminal", false);
    ObjectNode user = process.putObject("user");
    user.put("uid", plan.user.uid());
    user.put("gid", plan.user.gid());
    user.put("umask", 0022);
    ArrayNode gids = user.putArray("additionalGids");
    plan.user.supplementaryGroups().forEach(gids::add);
    ArrayNode args = process.putArray("args");
    spec.args().forEach(args::add);
    ArrayNode env = process.putArray("env");
    plan.env.forEach(env::add);
    process.put("cwd", "/" + plan.workdir);
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = caps.putArray(set);
      DockerDefaults.CAPABILITIES.forEach(a::add);
    }
    caps.putArray("inheritable");
    caps.putArray("ambient");
    process.put("noNewPrivileges", true);
    if (!spec.ulimits().isEmpty()) {
      ArrayNode rlimits = process.putArray("rlimits");
      for (Ulimit u : spec.ulimits()) {
        rlimits
            .addObject()
            .put("type", u.ociType())
            .put("soft", Ulimit.ociValue(u.soft()))
            .put("hard", Ulimit.ociValue(u.hard()));
      }
    }
    ObjectNode r = root.putObject("root");
    r.put("path", plan.rootMount.toString());
    r.put("readonly", false);
    root.put("hostname", spec.hostname());
    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(
        mounts,
        "/dev",
        "tmpfs",
        "tmpfs",
        List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        List.of("nosuid", "noexec", "nodev", "mode=1777", spec.shmSizeOption()));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    for (StepPlan.EtcFile etc : plan.etcFiles) {
      mount(
          mounts,
          "/" + etc.target(),
          "bind",
          etc.source().toString(),
          List.of("rbind", "rprivate", "nosuid", "nodev"));
    }
    for (StepPlan.ResolvedMount m : plan.mounts) {
      List<String> options = new ArrayList<>();
      if (m.mount().type() == Mount.Type.BIND) {
        options.addAll(List.of("rbind", "rprivate"));
        if (m.mount().readOnly()) {
          options.add("ro");
        }
        mount(
            mounts, "/" + m.target(), "bind", m.mount().source().orElseThrow().toString(), options);
      } else {
        options.addAll(List.of("nosuid", "nodev", "mode=1777"));
        if (m.mount().readOnly()) {
          options.add("ro");
        }
        mount(mounts, "/" + m.target(), "tmpfs", "tmpfs", options);
      }
    }
    ObjectNode linux = root.putObject("linux");
    ArrayNode namespaces = linux.putArray("namespaces");
    List<String> types = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
    if (spec.network() == Network.NONE) {
      types.add("network");
    }
    for (String t : types) {
      namespaces.addObject().put("type", t);
    }
    ArrayNode masked = linux.putArray("maskedPaths");
    DockerDefaults.MASKED_PATHS.forEach(masked::add);
    ArrayNode readonly = linux.putArray("readonlyPaths");
    DockerDefaults.READONLY_PATHS.forEach(readonly::add);
    linux.put("cgroupsPath", "hoist-" + plan.dir.id());
    ObjectNode resources = linux.putObject("resources");
    resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
    Resources limits = spec.resources();
    limits
        .memoryBytes()
        .ifPresent(
            m -> {
              resources.putObject("memory").put("limit", m).put("swap", m);
            });
    limits.pidsLimit().ifPresent(p -> resources.putObject("pids").put("limit", p));
    if (limits.cpus().isPresent()) {
      resources
          .putObject("cpu")
          .put("quota", limits.cpuQuotaMicros())
          .put("period", Resources.CPU_PERIOD_MICROS);
    }
    return root;
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    ArrayNode o = m.putArray("options");
    options.forEach(o::add);
  }
}
