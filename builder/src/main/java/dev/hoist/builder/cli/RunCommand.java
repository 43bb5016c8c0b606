package dev.hoist.builder.cli;

import dev.hoist.image.ContainerConfig;
import dev.hoist.runtime.HostEntry;
import dev.hoist.runtime.Isolation;
import dev.hoist.runtime.Mount;
import dev.hoist.runtime.Network;
import dev.hoist.runtime.Resources;
import dev.hoist.runtime.RunResult;
import dev.hoist.runtime.RunSpec;
import dev.hoist.runtime.Sandbox;
import dev.hoist.runtime.Sandboxes;
import dev.hoist.runtime.StepDirs;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.store.snapshot.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hoist run REF [CMD...]}: runs a stored image's entrypoint and cmd in the sandbox with its
 * env, working dir and user, flags as {@code docker run}; output passes through and the step's exit
 * code is hoist's. The container's changes go to a scratch upper dir that is always removed.
 */
@Command(
    name = "run",
    description = "Run a stored image's command in the sandbox; exit with its exit code.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(names = "--rm", description = "Accepted for docker compatibility: nothing is kept.")
  boolean rm;

  @Option(names = "--network", paramLabel = "host|none", description = "Network (default host).")
  String network = "host";

  @Option(
      names = {"-e", "--env"},
      paramLabel = "K=V",
      description = "Set a variable (K alone takes hoist's value, if any).")
  List<String> env = new ArrayList<>();

  @Option(
      names = {"-v", "--volume"},
      paramLabel = "HOST:CTR[:ro]",
      description = "Bind a host path.")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--tmpfs", paramLabel = "PATH", description = "Mount a tmpfs.")
  List<String> tmpfs = new ArrayList<>();

  @Option(
      names = {"-w", "--workdir"},
      paramLabel = "DIR",
      description = "Working directory.")
  String workdir;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "USER[:GROUP]",
      description = "User: name, uid, uid:gid or name:group.")
  String user;

  @Option(names = "--entrypoint", paramLabel = "CMD", description = "Override the entrypoint.")
  String entrypoint;

  @Option(names = "--hostname", paramLabel = "NAME", description = "Host name (default hoist).")
  String hostname = "hoist";

  @Option(names = "--add-host", paramLabel = "HOST:IP", description = "Add an /etc/hosts line.")
  List<String> addHosts = new ArrayList<>();

  @Option(names = "--memory", paramLabel = "N", description = "Memory limit (e.g. 256m).")
  String memory;

  @Option(names = "--pids-limit", paramLabel = "N", description = "Process limit.")
  Long pidsLimit;

  @Option(names = "--cpus", paramLabel = "N", description = "CPU limit (e.g. 0.5).")
  Double cpus;

  @Option(
      names = "--isolation",
      paramLabel = "auto|oci|chroot",
      description = "Isolation backend (default auto).")
  String isolation = "auto";

  @Parameters(index = "0", paramLabel = "REF", description = "Image name, id or digest.")
  String ref;

  @Parameters(index = "1..*", paramLabel = "CMD", description = "Command replacing the image's.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Isolation chosen = Isolation.parse(isolation);
    Network net = Network.parse(network);
    try (Store store = StoreAccess.open(hoist)) {
      StoredImage image = store.resolve(ref);
      ContainerConfig config = image.config().config();
      List<String> args = args(config);
      List<Path> lowers =
          new Snapshots(store).getAll(image.manifest().layers(), image.config().diffIds());
      // Locked scratch dirs: a Ctrl-C or SIGKILL leaves them to the next start to reclaim.
      try (StepDirs scratch = StepDirs.create(store.workDir())) {
        if (lowers.isEmpty()) {
          lowers = List.of(Files.createDirectory(scratch.upper().resolveSibling("empty")));
        }
        Sandbox sandbox = Sandboxes.select(chosen, store.workDir());
        if (hoist.debug()) {
          hoist.err().println("isolation: " + sandbox.describe());
        }
        RunSpec.Builder spec =
            RunSpec.builder(scratch.overlay(lowers), args)
                .env(environment(config))
                .workdir(workdir != null ? workdir : config.workingDir().orElse("/"))
                .user(user != null ? user : config.user().orElse(""))
                .hostname(hostname)
                .network(net)
                .resources(resources())
                .stdout(hoist.out())
                .stderr(hoist.err());
        Path cwd = Path.of("").toAbsolutePath();
        for (String v : volumes) {
          spec.mount(Mount.parseVolume(v, cwd));
        }
        for (String t : tmpfs) {
          if (t.contains(":")) {
            // docker's PATH:OPTIONS (size=, mode=): a mount at a path with a colon is not that.
            throw new IllegalArgumentException(
                "--tmpfs " + t + ": hoist run takes a path only, without :OPTIONS; remove them");
          }
          spec.mount(Mount.tmpfs(t));
        }
        for (String h : addHosts) {
          spec.addHost(HostEntry.parse(h));
        }
        RunResult result = sandbox.run(spec.build());
        hoist.out().flush();
        return result.exitCode();
      }
    }
  }

  /** Entrypoint plus cmd, as docker run combines them. */
  private List<String> args(ContainerConfig config) {
    List<String> args = new ArrayList<>();
    if (entrypoint != null) {
      if (!entrypoint.isEmpty()) {
        args.add(entrypoint);
      }
      args.addAll(command); // --entrypoint drops the image's cmd, as Docker does
    } else {
      config.entrypoint().ifPresent(args::addAll);
      args.addAll(command.isEmpty() ? config.cmd().orElse(List.of()) : command);
    }
    if (args.isEmpty()) {
      throw new IllegalArgumentException(
          "image " + ref + " has no entrypoint or cmd: give a command after the image name");
    }
    return args;
  }

  /** The image's env with -e applied; {@code -e K} takes hoist's own value or unsets K. */
  private List<String> environment(ContainerConfig config) {
    List<String> out = new ArrayList<>(config.env());
    for (String e : env) {
      int eq = e.indexOf('=');
      String name = eq < 0 ? e : e.substring(0, eq);
      out.removeIf(x -> x.startsWith(name + "="));
      if (eq >= 0) {
        out.add(e);
      } else if (hoist.env().get(name) != null) {
        out.add(name + "=" + hoist.env().get(name));
      }
    }
    return out;
  }

  private Resources resources() {
    Resources r = Resources.NONE;
    if (memory != null) {
      r = r.withMemory(Resources.parseBytes(memory));
    }
    if (pidsLimit != null) {
      r = r.withPidsLimit(pidsLimit);
    }
    if (cpus != null) {
      r = r.withCpus(cpus);
    }
    return r;
  }
}
