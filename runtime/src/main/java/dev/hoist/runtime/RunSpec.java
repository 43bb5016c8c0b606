package dev.hoist.runtime;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a sandbox needs to run one process: what it runs over, what it runs, as whom, where
 * its output goes. Build one with {@link #builder(Rootfs, List)}.
 *
 * @param rootfs the root filesystem
 * @param args the program and its arguments; the program is looked up in the step's PATH
 * @param env {@code KEY=VALUE} entries, exactly the step's environment (HOME and PATH are added
 *     when missing, as Docker does)
 * @param workdir absolute working directory, created when missing
 * @param user empty for root, or {@code name}, {@code uid}, {@code uid:gid}, {@code name:group}
 *     resolved in the rootfs's own /etc/passwd and /etc/group
 * @param hostname the step's host name
 * @param extraHosts lines added to the step's /etc/hosts
 * @param mounts bind and tmpfs mounts
 * @param network host or none
 * @param resources cgroup limits
 * @param shmBytes the size of the step's /dev/shm tmpfs (Docker's default is 64 MiB)
 * @param ulimits resource limits of the step's process; a type not listed keeps hoist's own
 * @param timeout the step is killed (exit 137) when it runs longer
 * @param stdout receives the step's stdout as it comes
 * @param stderr receives the step's stderr as it comes
 */
public record RunSpec(
    Rootfs rootfs,
    List<String> args,
    List<String> env,
    String workdir,
    String user,
    String hostname,
    List<HostEntry> extraHosts,
    List<Mount> mounts,
    Network network,
    Resources resources,
    long shmBytes,
    List<Ulimit> ulimits,
    Optional<Duration> timeout,
    OutputStream stdout,
    OutputStream stderr) {

  /** The PATH Docker gives a step whose environment has none. */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public RunSpec {
    Objects.requireNonNull(rootfs, "rootfs");
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(hostname, "hostname");
    extraHosts = List.copyOf(extraHosts);
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(resources, "resources");
    if (shmBytes <= 0) {
      throw new IllegalArgumentException("/dev/shm size must be greater than 0, got " + shmBytes);
    }
    ulimits = List.copyOf(ulimits);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    if (args.isEmpty() || args.get(0).isEmpty()) {
      throw new IllegalArgumentException("a step needs a program to run: its args are empty");
    }
    if (!workdir.startsWith("/")) {
      throw new IllegalArgumentException(
          "working directory '" + workdir + "' is not absolute: write it as /" + workdir);
    }
    for (String entry : env) {
      int eq = entry.indexOf('=');
      // Docker accepts any name without '=' or NUL (ENV my.var=1 is valid); so does execve.
      if (eq <= 0 || entry.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "invalid environment entry '" + entry + "': write KEY=VALUE with a non-empty KEY");
      }
    }
    if (!hostname.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})")) {
      throw new IllegalArgumentException(
          "invalid host name '" + hostname + "': use letters, digits, '.' and '-', up to 63");
    }
    if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout.get());
    }
  }

  /** The tmpfs option that sizes /dev/shm. */
  String shmSizeOption() {
    return "size=" + shmBytes;
  }

  /** The value of {@code name} in {@link #env}, the last entry winning. */
  public Optional<String> envValue(String name) {
    Optional<String> value = Optional.empty();
    for (String entry : env) {
      if (entry.startsWith(name + "=")) {
        value = Optional.of(entry.substring(name.length() + 1));
      }
    }
    return value;
  }

  /** Docker's /dev/shm size when none is given: 64 MiB. */
  public static final long DEFAULT_SHM_BYTES = 64L << 20;

  /** A builder with Docker's defaults: root, "/", host network, hostname "hoist", no output. */
  public static Builder builder(Rootfs rootfs, List<String> args) {
    return new Builder(rootfs, args);
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(rootfs, args);
    b.env = new ArrayList<>(env);
    b.workdir = workdir;
    b.user = user;
    b.hostname = hostname;
    b.extraHosts = new ArrayList<>(extraHosts);
    b.mounts = new ArrayList<>(mounts);
    b.network = network;
    b.resources = resources;
    b.shmBytes = shmBytes;
    b.ulimits = new ArrayList<>(ulimits);
    b.timeout = timeout;
    b.stdout = stdout;
    b.stderr = stderr;
    return b;
  }

  /** Builds a {@link RunSpec}. */
  public static final class Builder {
    private Rootfs rootfs;
    private List<String> args;
    private List<String> env = new ArrayList<>();
    private String workdir = "/";
    private String user = "";
    private String hostname = "hoist";
    private List<HostEntry> extraHosts = new ArrayList<>();
    private List<Mount> mounts = new ArrayList<>();
    private Network network = Network.HOST;
    private Resources resources = Resources.NONE;
    private long shmBytes = DEFAULT_SHM_BYTES;
    private List<Ulimit> ulimits = new ArrayList<>();
    private Optional<Duration> timeout = Optional.empty();
    private OutputStream stdout = OutputStream.nullOutputStream();
    private OutputStream stderr = OutputStream.nullOutputStream();

    private Builder(Rootfs rootfs, List<String> args) {
      this.rootfs = rootfs;
      this.args = List.copyOf(args);
    }

    public Builder rootfs(Rootfs value) {
      rootfs = value;
      return this;
    }

    public Builder args(List<String> value) {
      args = List.copyOf(value);
      return this;
    }

    /** Replaces the environment with {@code KEY=VALUE} entries. */
    public Builder env(List<String> value) {
      env = new ArrayList<>(value);
      return this;
    }

    /** Adds or replaces one variable. */
    public Builder env(String name, String value) {
      env.removeIf(e -> e.startsWith(name + "="));
      env.add(name + "=" + value);
      return this;
    }

    public Builder workdir(String value) {
      workdir = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder hostname(String value) {
      hostname = value;
      return this;
    }

    public Builder addHost(HostEntry value) {
      extraHosts.add(value);
      return this;
    }

    public Builder mount(Mount value) {
      mounts.add(value);
      return this;
    }

    public Builder network(Network value) {
      network = value;
      return this;
    }

    public Builder resources(Resources value) {
      resources = value;
      return this;
    }

    public Builder shmBytes(long value) {
      shmBytes = value;
      return this;
    }

    /** Adds a limit, replacing an earlier one of the same type (the last one given wins). */
    public Builder ulimit(Ulimit value) {
      ulimits.removeIf(u -> u.type().equals(value.type()));
      ulimits.add(value);
      return this;
    }

    public Builder timeout(Duration value) {
      timeout = Optional.of(value);
      return this;
    }

    public Builder stdout(OutputStream value) {
      stdout = value;
      return this;
    }

    public Builder stderr(OutputStream value) {
      stderr = value;
      return this;
    }

    public RunSpec build() {
      return new RunSpec(
          rootfs,
          args,
          env,
          workdir,
          user,
          hostname,
          extraHosts,
          mounts,
          network,
          resources,
          shmBytes,
          ulimits,
          timeout,
          stdout,
          stderr);
    }
  }
}
