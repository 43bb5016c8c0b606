package dev.hoist.builder.build;

import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.image.ContainerConfig;
import dev.hoist.runtime.HostEntry;
import dev.hoist.runtime.Network;
import dev.hoist.runtime.RunResult;
import dev.hoist.runtime.RunSpec;
import dev.hoist.runtime.StepDirs;
import dev.hoist.store.layer.LayerSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one RUN step in the sandbox over an overlay of the stage's snapshots and commits the upper
 * dir as the step's layer.
 */
final class RunStep {
  private static final String HOSTNAME = "hoist";
  private final BuildSession session;

  RunStep(BuildSession session) {
    this.session = session;
  }

  /** The argv the step runs: exec form as is; shell form (heredocs included) through SHELL. */
  static List<String> argv(RunInstruction run, ContainerConfig config) {
    if (run.command().exec() || run.heredocs().isEmpty()) {
      return ConfigSteps.command(run.command(), config);
    }
    List<String> shell = new ArrayList<>(config.shell().orElse(ConfigSteps.DEFAULT_SHELL));
    String line = run.command().text().strip();
    if (run.heredocs().size() == 1
        && line.matches(
            "<<-?[\"']?"
                + java.util.regex.Pattern.quote(run.heredocs().get(0).name())
                + "[\"']?")) {
      // RUN <<EOF … EOF: the body is the script.
      shell.add(run.heredocs().get(0).effectiveContent());
      return shell;
    }
    // RUN cmd <<EOF … EOF: the shell reads the heredocs itself, as BuildKit lets it.
    StringBuilder script = new StringBuilder(line);
    for (Heredoc h : run.heredocs()) {
      script.append('\n').append(h.content());
      if (!h.content().endsWith("\n")) {
        script.append('\n');
      }
      script.append(h.name());
    }
    shell.add(script.toString());
    return shell;
  }

  /** The environment a RUN sees: the image's ENV, then build args that ENV does not set. */
  static List<String> env(ContainerConfig config, Map<String, String> args) {
    List<String> env = new ArrayList<>(config.env());
    args.forEach(
        (k, v) -> {
          if (config.envValue(k).isEmpty()) {
            env.add(k + "=" + v);
          }
        });
    return env;
  }

  /**
   * {@code --security=sandbox} is what every step gets; {@code insecure} would need an entitlement
   * (BuildKit's {@code --allow security.insecure}) that hoist does not grant yet, so it is refused
   * rather than run sandboxed as if it had been granted.
   */
  private static void refuseInsecure(RunInstruction run, String location) throws BuildException {
    String security = run.security().orElse("sandbox");
    if (security.equals("insecure")) {
      throw new BuildException(
          location
              + ": RUN --security=insecure needs the security.insecure entitlement, which hoist"
              + " does not grant yet; remove the flag");
    }
    if (!security.equals("sandbox")) {
      throw new BuildException(
          location + ": RUN --security=" + security + " is unknown; use sandbox or insecure");
    }
  }

  /** The step's args plus the proxy build args it was not declared (BuildOptions#proxyArgs). */
  private Map<String, String> withProxies(Map<String, String> args) {
    Map<String, String> all = new java.util.TreeMap<>(session.request().plan().proxyArgs());
    all.putAll(args);
    return all;
  }

  /** {@code env} plus what the mounts set (SSH_AUTH_SOCK), where {@code env} does not set it. */
  static List<String> withMountEnv(List<String> env, List<String> mountEnv) {
    List<String> all = new ArrayList<>(env);
    for (String kv : mountEnv) {
      String name = kv.substring(0, kv.indexOf('=') + 1);
      if (env.stream().noneMatch(e -> e.startsWith(name))) {
        all.add(kv);
      }
    }
    return all;
  }

  LayerCommit.Outcome run(
      RunInstruction run,
      StageState state,
      List<Path> lowers,
      List<String> argv,
      Map<String, String> args,
      int step,
      RunMounts.FromResolver fromResolver)
      throws IOException, InterruptedException {
    String location = run.source().location();
    refuseInsecure(run, location);
    // Locked step dirs: reclaimed by the next hoist if this one is killed mid-step.
    StepDirs dirs = StepDirs.create(session.store().workDir());
    Path upper = dirs.upper();
    RunMounts.Prepared mounts =
        RunMounts.prepare(
            run.mounts(),
            location,
            session.store().cacheDir(),
            session.request().context(),
            session.request().secrets(),
            session.request().ssh(),
            session.store().tempDir(),
            fromResolver);
    OutputStream out = session.progress().output(step);
    TailBuffer tail = new TailBuffer(20);
    OutputStream both = TailBuffer.tee(out, tail);
    try {
      RunSpec.Builder spec =
          RunSpec.builder(dirs.overlay(lowers), argv)
              .env(withMountEnv(env(state.config(), withProxies(args)), mounts.env()))
              .workdir(state.workdir())
              .user(state.config().user().orElse(""))
              .hostname(HOSTNAME)
              .network(run.network().map(Network::parse).orElse(session.request().network()))
              .shmBytes(session.request().shmBytes())
              .stdout(both)
              .stderr(both);
      for (HostEntry h : session.request().extraHosts()) {
        spec.addHost(h);
      }
      mounts.mounts().forEach(spec::mount);
      session.request().ulimits().forEach(spec::ulimit);
      RunSpec built = spec.build();
      RunResult result = session.cancellation().interruptibly(() -> session.sandbox().run(built));
      both.flush();
      if (result.exitCode() != 0) {
        String output = tail.summary();
        throw new BuildException(
            location
                + ": RUN "
                + run.command().text().lines().findFirst().orElse("")
                + " failed with exit code "
                + result.exitCode()
                + (result.timedOut() ? " (timed out)" : "")
                + output
                + RunMounts.readOnlyHint(mounts, output));
      }
      return session.commit().commitRun(upper, LayerSource.overlayUpper(upper));
    } finally {
      out.close();
      for (var agent : mounts.agents()) {
        agent.close();
      }
      for (Path p : mounts.cleanup()) {
        Files.deleteIfExists(p);
      }
      dirs.close();
    }
  }
}
