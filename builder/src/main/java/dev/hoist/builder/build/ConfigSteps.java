package dev.hoist.builder.build;

import dev.hoist.builder.instructions.CmdInstruction;
import dev.hoist.builder.instructions.CommandForm;
import dev.hoist.builder.instructions.EntrypointInstruction;
import dev.hoist.builder.instructions.EnvInstruction;
import dev.hoist.builder.instructions.ExposeInstruction;
import dev.hoist.builder.instructions.HealthcheckInstruction;
import dev.hoist.builder.instructions.HealthcheckSpec;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.LabelInstruction;
import dev.hoist.builder.instructions.MaintainerInstruction;
import dev.hoist.builder.instructions.OnbuildInstruction;
import dev.hoist.builder.instructions.ShellInstruction;
import dev.hoist.builder.instructions.StopsignalInstruction;
import dev.hoist.builder.instructions.UserInstruction;
import dev.hoist.builder.instructions.VolumeInstruction;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Healthcheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The instructions that change only the image config, applied with Docker's rules: ENV replaces a
 * variable in place, EXPOSE defaults to tcp, ENTRYPOINT drops a CMD inherited from the base image,
 * shell forms run through the stage's SHELL.
 */
final class ConfigSteps {
  static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  private ConfigSteps() {}

  /** Whether {@code ins} changes only the config (no layer, no sandbox). */
  static boolean isConfigOnly(Instruction ins) {
    return ins instanceof EnvInstruction
        || ins instanceof LabelInstruction
        || ins instanceof ExposeInstruction
        || ins instanceof UserInstruction
        || ins instanceof CmdInstruction
        || ins instanceof EntrypointInstruction
        || ins instanceof VolumeInstruction
        || ins instanceof StopsignalInstruction
        || ins instanceof HealthcheckInstruction
        || ins instanceof ShellInstruction
        || ins instanceof MaintainerInstruction
        || ins instanceof OnbuildInstruction
        || ins instanceof dev.hoist.builder.instructions.ArgInstruction;
  }

  /** Applies a config-only instruction to {@code state}. */
  static void apply(Instruction ins, StageState state) {
    ContainerConfig c = state.config();
    ContainerConfig.Builder b = c.toBuilder();
    if (ins instanceof EnvInstruction env) {
      List<String> vars = new ArrayList<>(c.env());
      for (KeyValue kv : env.vars()) {
        setEnv(vars, kv.key(), kv.value());
      }
      b.env(vars);
    } else if (ins instanceof LabelInstruction label) {
      Map<String, String> labels = new LinkedHashMap<>(c.labels());
      label.labels().forEach(kv -> labels.put(kv.key(), kv.value()));
      b.labels(labels);
    } else if (ins instanceof ExposeInstruction expose) {
      TreeSet<String> ports = new TreeSet<>(c.exposedPorts());
      for (String p : expose.ports()) {
        ports.addAll(ExposedPorts.of(p));
      }
      b.exposedPorts(ports);
    } else if (ins instanceof UserInstruction user) {
      b.user(Optional.of(user.user()).filter(u -> !u.isEmpty()));
    } else if (ins instanceof CmdInstruction cmd) {
      b.cmd(Optional.of(command(cmd.command(), c)));
      b.argsEscaped(Optional.of(true)); // BuildKit sets it on every CMD, for Docker's Windows rules
      state.cmdSetInStage(true);
    } else if (ins instanceof EntrypointInstruction ep) {
      b.entrypoint(Optional.of(command(ep.command(), c)));
      if (!state.cmdSetInStage()) {
        b.cmd(Optional.empty()); // Docker: ENTRYPOINT resets a CMD inherited from the base image
      }
    } else if (ins instanceof VolumeInstruction volume) {
      TreeSet<String> volumes = new TreeSet<>(c.volumes());
      volumes.addAll(volume.paths());
      b.volumes(volumes);
    } else if (ins instanceof StopsignalInstruction stop) {
      StopSignals.check(stop.signal());
      b.stopSignal(Optional.of(stop.signal()));
    } else if (ins instanceof HealthcheckInstruction hc) {
      b.healthcheck(Optional.of(healthcheck(hc.spec())));
    } else if (ins instanceof ShellInstruction shell) {
      b.shell(Optional.of(shell.shell()));
    } else if (ins instanceof MaintainerInstruction m) {
      state.author(m.maintainer());
    } else if (ins instanceof OnbuildInstruction on) {
      List<String> triggers = new ArrayList<>(c.onBuild());
      triggers.add(on.trigger());
      b.onBuild(triggers);
    }
    state.config(b.build());
  }

  /** The argv of a RUN, CMD or ENTRYPOINT: exec form as is, shell form through SHELL. */
  static List<String> command(CommandForm form, ContainerConfig c) {
    if (form.exec()) {
      return form.args();
    }
    List<String> argv = new ArrayList<>(c.shell().orElse(DEFAULT_SHELL));
    argv.add(String.join(" ", form.args()));
    return argv;
  }

  static void setEnv(List<String> vars, String key, String value) {
    String entry = key + "=" + value;
    for (int i = 0; i < vars.size(); i++) {
      if (vars.get(i).startsWith(key + "=")) {
        vars.set(i, entry);
        return;
      }
    }
    vars.add(entry);
  }

  private static Healthcheck healthcheck(HealthcheckSpec spec) {
    return new Healthcheck(
        spec.test(),
        spec.interval(),
        spec.timeout(),
        spec.startPeriod(),
        spec.startInterval(),
        spec.retries());
  }
}
