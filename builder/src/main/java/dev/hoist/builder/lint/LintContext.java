package dev.hoist.builder.lint;

import dev.hoist.builder.dockerfile.Dockerfile;
import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.builder.instructions.CommandForm;
import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the rules look at: the parse tree and the typed stages of one Dockerfile. */
public record LintContext(Dockerfile dockerfile, DockerfileStages stages) {
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh");

  public List<Stage> stageList() {
    return stages.stages();
  }

  public Stage finalStage() {
    return stages.stages().get(stages.stages().size() - 1);
  }

  /** Whether {@code name} is the name of a stage of this Dockerfile. */
  public boolean isStageName(String name) {
    return stages.stage(name).isPresent();
  }

  /** The commands a RUN runs: its shell script, heredoc scripts, or {@code sh -c} of exec form. */
  static List<ShellScript.Command> commands(RunInstruction run) {
    List<ShellScript.Command> out = new ArrayList<>();
    CommandForm c = run.command();
    if (c.exec()) {
      List<String> a = c.args();
      if (a.size() >= 3
          && SHELLS.contains(ShellScript.basename(a.get(0)))
          && a.get(1).equals("-c")) {
        out.addAll(ShellScript.parse(a.get(2)));
      } else if (!a.isEmpty()) {
        out.add(new ShellScript.Command(a, false));
      }
    } else {
      out.addAll(ShellScript.parse(c.args().get(0)));
    }
    for (Heredoc h : run.heredocs()) {
      out.addAll(ShellScript.parse(h.effectiveContent()));
    }
    return out;
  }

  /** The line of an instruction. */
  static int line(Instruction ins) {
    return ins.source().range().start();
  }
}
