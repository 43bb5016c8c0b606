package dev.hoist.image;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code config} object of an image config: how a container of the image runs. Entrypoint, Cmd
 * and Shell are optional because an absent value and an empty list mean different things.
 */
public record ContainerConfig(
    Optional<String> user,
    Set<String> exposedPorts,
    List<String> env,
    Optional<List<String>> entrypoint,
    Optional<List<String>> cmd,
    Set<String> volumes,
    Optional<String> workingDir,
    Map<String, String> labels,
    Optional<String> stopSignal,
    Optional<Boolean> argsEscaped,
    Optional<Healthcheck> healthcheck,
    List<String> onBuild,
    Optional<List<String>> shell) {

  public static final ContainerConfig EMPTY =
      new ContainerConfig(
          Optional.empty(),
          Set.of(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Set.of(),
          Optional.empty(),
          Map.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of(),
          Optional.empty());

  public ContainerConfig {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(entrypoint, "entrypoint (Optional.empty() when unset)");
    Objects.requireNonNull(cmd, "cmd (Optional.empty() when unset)");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(stopSignal, "stopSignal");
    Objects.requireNonNull(argsEscaped, "argsEscaped");
    Objects.requireNonNull(healthcheck, "healthcheck");
    Objects.requireNonNull(shell, "shell (Optional.empty() when unset)");
    exposedPorts = Set.copyOf(new TreeSet<>(exposedPorts));
    env = List.copyOf(env);
    entrypoint = entrypoint.map(List::copyOf);
    cmd = cmd.map(List::copyOf);
    volumes = Set.copyOf(volumes);
    labels = Map.copyOf(labels);
    onBuild = List.copyOf(onBuild);
    shell = shell.map(List::copyOf);
  }

  /** The value of {@code name} in {@link #env()}, as a process started from the image sees it. */
  public Optional<String> envValue(String name) {
    String prefix = name + "=";
    for (int i = env.size() - 1; i >= 0; i--) {
      if (env.get(i).startsWith(prefix)) {
        return Optional.of(env.get(i).substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Makes changed copies, one field at a time, as each Dockerfile instruction does. */
  public static final class Builder {
    private Optional<String> user;
    private Set<String> exposedPorts;
    private List<String> env;
    private Optional<List<String>> entrypoint;
    private Optional<List<String>> cmd;
    private Set<String> volumes;
    private Optional<String> workingDir;
    private Map<String, String> labels;
    private Optional<String> stopSignal;
    private Optional<Boolean> argsEscaped;
    private Optional<Healthcheck> healthcheck;
    private List<String> onBuild;
    private Optional<List<String>> shell;

    private Builder(ContainerConfig c) {
      user = c.user;
      exposedPorts = c.exposedPorts;
      env = c.env;
      entrypoint = c.entrypoint;
      cmd = c.cmd;
      volumes = c.volumes;
      workingDir = c.workingDir;
      labels = c.labels;
      stopSignal = c.stopSignal;
      argsEscaped = c.argsEscaped;
      healthcheck = c.healthcheck;
      onBuild = c.onBuild;
      shell = c.shell;
    }

    public Builder user(Optional<String> v) {
      user = v;
      return this;
    }

    public Builder exposedPorts(Set<String> v) {
      exposedPorts = v;
      return this;
    }

    public Builder env(List<String> v) {
      env = v;
      return this;
    }

    public Builder entrypoint(Optional<List<String>> v) {
      entrypoint = v;
      return this;
    }

    public Builder cmd(Optional<List<String>> v) {
      cmd = v;
      return this;
    }

    public Builder volumes(Set<String> v) {
      volumes = v;
      return this;
    }

    public Builder workingDir(Optional<String> v) {
      workingDir = v;
      return this;
    }

    public Builder labels(Map<String, String> v) {
      labels = v;
      return this;
    }

    public Builder stopSignal(Optional<String> v) {
      stopSignal = v;
      return this;
    }

    public Builder argsEscaped(Optional<Boolean> v) {
      argsEscaped = v;
      return this;
    }

    public Builder healthcheck(Optional<Healthcheck> v) {
      healthcheck = v;
      return this;
    }

    public Builder onBuild(List<String> v) {
      onBuild = v;
      return this;
    }

    public Builder shell(Optional<List<String>> v) {
      shell = v;
      return this;
    }

    public ContainerConfig build() {
      return new ContainerConfig(
          user,
          exposedPorts,
          env,
          entrypoint,
          cmd,
          volumes,
          workingDir,
          labels,
          stopSignal,
          argsEscaped,
          healthcheck,
          onBuild,
          shell);
    }
  }
}
