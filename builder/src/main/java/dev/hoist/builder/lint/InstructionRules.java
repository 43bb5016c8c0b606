package dev.hoist.builder.lint;

import static dev.hoist.builder.lint.LintContext.line;

import dev.hoist.builder.instructions.AddInstruction;
import dev.hoist.builder.instructions.CmdInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.EntrypointInstruction;
import dev.hoist.builder.instructions.HealthcheckInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.MaintainerInstruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.ShellInstruction;
import dev.hoist.builder.instructions.Stage;
import dev.hoist.builder.instructions.WorkdirInstruction;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules about single instructions and their order. */
final class InstructionRules {
  private static final Pattern ARCHIVE =
      Pattern.compile(
          "(?i).*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz|tar\\.zst|gz|bz2|xz|zst)$");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh");

  private InstructionRules() {}

  static List<LintRule> all() {
    return List.of(
        new LintRule(
            "DL3020",
            Severity.ERROR,
            "Use COPY instead of ADD for files and folders",
            (ctx, r) ->
                each(
                    ctx,
                    AddInstruction.class,
                    a -> {
                      boolean special =
                          a.sources().stream()
                              .anyMatch(
                                  s ->
                                      s.contains("://")
                                          || s.startsWith("git@")
                                          || ARCHIVE.matcher(s).matches());
                      if (!special) {
                        r.at(line(a), "Use COPY instead of ADD for files and folders");
                      }
                    })),
        new LintRule(
            "DL4000",
            Severity.ERROR,
            "MAINTAINER is deprecated",
            (ctx, r) ->
                each(
                    ctx,
                    MaintainerInstruction.class,
                    m ->
                        r.at(
                            line(m),
                            "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors=\""
                                + m.maintainer()
                                + "\""))),
        new LintRule(
            "DL3000",
            Severity.ERROR,
            "Use absolute WORKDIR",
            (ctx, r) ->
                each(
                    ctx,
                    WorkdirInstruction.class,
                    w -> {
                      String p = w.path().replace("\"", "").replace("'", "");
                      if (!p.startsWith("/")
                          && !p.startsWith("$")
                          && !p.matches("(?i)^[a-z]:[\\\\/].*")) {
                        r.at(
                            line(w),
                            "Use absolute WORKDIR: \""
                                + w.path()
                                + "\" depends on the WORKDIR before it");
                      }
                    })),
        new LintRule(
            "DL4003",
            Severity.WARNING,
            "Multiple CMD instructions found",
            (ctx, r) ->
                repeated(
                    ctx,
                    CmdInstruction.class,
                    i ->
                        r.at(
                            line(i),
                            "Multiple CMD instructions found. Only the last one takes effect"))),
        new LintRule(
            "DL4004",
            Severity.ERROR,
            "Multiple ENTRYPOINT instructions found",
            (ctx, r) ->
                repeated(
                    ctx,
                    EntrypointInstruction.class,
                    i ->
                        r.at(
                            line(i),
                            "Multiple ENTRYPOINT instructions found. Only the last one takes effect"))),
        new LintRule(
            "DL3012",
            Severity.ERROR,
            "Multiple HEALTHCHECK instructions",
            (ctx, r) ->
                repeated(
                    ctx,
                    HealthcheckInstruction.class,
                    i ->
                        r.at(
                            line(i),
                            "Multiple HEALTHCHECK instructions. Only the last one takes effect"))),
        new LintRule(
            "DL3025",
            Severity.WARNING,
            "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
            (ctx, r) -> {
              each(
                  ctx,
                  EntrypointInstruction.class,
                  e -> {
                    if (!e.command().exec()) {
                      r.at(
                          line(e),
                          "Use arguments JSON notation for ENTRYPOINT: in shell form it runs under /bin/sh -c, does not receive signals and ignores CMD");
                    }
                  });
              each(
                  ctx,
                  CmdInstruction.class,
                  c -> {
                    if (!c.command().exec()) {
                      r.at(
                          line(c),
                          "Use arguments JSON notation for CMD arguments, so that signals reach the process");
                    }
                  });
            }),
        new LintRule(
            "HL1002",
            Severity.WARNING,
            "Copy dependency manifests and install before COPY of the whole context",
            (ctx, r) -> {
              for (Stage s : ctx.stageList()) {
                Instruction wholeContext = null;
                for (Instruction ins : s.instructions()) {
                  List<String> sources =
                      ins instanceof CopyInstruction c && c.from().isEmpty()
                          ? c.sources()
                          : ins instanceof AddInstruction a ? a.sources() : List.of();
                  if (wholeContext == null
                      && sources.stream().anyMatch(src -> src.equals(".") || src.equals("./"))) {
                    wholeContext = ins;
                  }
                  if (wholeContext != null
                      && ins instanceof RunInstruction run
                      && installsDependencies(run)) {
                    r.at(
                        line(wholeContext),
                        wholeContext.keyword()
                            + " of the whole context (line "
                            + line(wholeContext)
                            + ") before installing dependencies (line "
                            + line(run)
                            + "): any source change re-runs the install; COPY the dependency manifests first, install, then COPY the rest");
                    break;
                  }
                }
              }
            }),
        new LintRule(
            "DL3003",
            Severity.WARNING,
            "Use WORKDIR to switch to a directory",
            (ctx, r) ->
                PackageRules.eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (cmd.program().equals("cd")) {
                        r.at(
                            line(run), "Use WORKDIR to switch to a directory instead of cd in RUN");
                      }
                    })),
        new LintRule(
            "DL3004",
            Severity.ERROR,
            "Do not use sudo",
            (ctx, r) ->
                each(
                    ctx,
                    RunInstruction.class,
                    run -> {
                      if (LintContext.commands(run).stream()
                          .anyMatch(c -> c.program().equals("sudo"))) {
                        r.at(
                            line(run),
                            "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root");
                      }
                    })),
        new LintRule(
            "HL1004",
            Severity.WARNING,
            "Do not pipe curl or wget into a shell",
            (ctx, r) ->
                each(
                    ctx,
                    RunInstruction.class,
                    run -> {
                      List<ShellScript.Command> cmds = LintContext.commands(run);
                      for (int i = 1; i < cmds.size(); i++) {
                        String prev = cmds.get(i - 1).program();
                        ShellScript.Command cur = cmds.get(i);
                        String program =
                            cur.program().equals("sudo") && cur.words().size() > 1
                                ? ShellScript.basename(cur.words().get(1))
                                : cur.program();
                        if (cur.pipedFrom()
                            && (prev.equals("curl") || prev.equals("wget"))
                            && SHELLS.contains(program)) {
                          r.at(
                              line(run),
                              "Do not pipe "
                                  + prev
                                  + " into "
                                  + program
                                  + ": download the script, check its checksum, then run it");
                          return;
                        }
                      }
                    })),
        new LintRule(
            "DL4006",
            Severity.WARNING,
            "Set the SHELL option -o pipefail before RUN with a pipe in it",
            (ctx, r) -> {
              for (Stage s : ctx.stageList()) {
                boolean pipefail = false;
                for (Instruction ins : s.instructions()) {
                  if (ins instanceof ShellInstruction sh) {
                    pipefail = sh.shell().contains("pipefail");
                  }
                  if (ins instanceof RunInstruction run
                      && !run.command().exec()
                      && !pipefail
                      && !run.command().args().get(0).contains("pipefail")
                      && LintContext.commands(run).stream()
                          .anyMatch(ShellScript.Command::pipedFrom)) {
                    r.at(
                        line(run),
                        "Set the SHELL option -o pipefail before RUN with a pipe in it, or a failing command before | goes unnoticed");
                  }
                }
              }
            }),
        new LintRule(
            "DL3059",
            Severity.INFO,
            "Multiple consecutive RUN instructions. Consider consolidation",
            (ctx, r) -> {
              for (Stage s : ctx.stageList()) {
                Instruction prev = null;
                for (Instruction ins : s.instructions()) {
                  if (ins instanceof RunInstruction run
                      && prev instanceof RunInstruction p
                      && run.mounts().equals(p.mounts())
                      && run.heredocs().isEmpty()
                      && p.heredocs().isEmpty()) {
                    r.at(
                        line(run),
                        "Multiple consecutive RUN instructions (lines "
                            + line(p)
                            + " and "
                            + line(run)
                            + "). Consider joining them with && into one layer");
                  }
                  prev = ins;
                }
              }
            }));
  }

  private static final Pattern INSTALL =
      Pattern.compile(
          "(?:^|\\s)(?:npm (?:ci|install|i)|yarn(?: install)?|pnpm (?:install|i)|pip3? install|poetry install|bundle install|go mod download|composer install|cargo fetch|mvn [^&|;]*dependency:|gradle [^&|;]*dependencies)(?:\\s|$)");

  private static boolean installsDependencies(RunInstruction run) {
    for (ShellScript.Command c : LintContext.commands(run)) {
      String text = String.join(" ", c.words()).toLowerCase(Locale.ROOT);
      if (INSTALL.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Instruction> void each(
      LintContext ctx, Class<T> type, java.util.function.Consumer<T> f) {
    for (Stage s : ctx.stageList()) {
      for (Instruction ins : s.instructions()) {
        if (type.isInstance(ins)) {
          f.accept(type.cast(ins));
        }
      }
    }
  }

  /** Calls {@code f} for the second and later instructions of {@code type} within a stage. */
  private static <T extends Instruction> void repeated(
      LintContext ctx, Class<T> type, java.util.function.Consumer<T> f) {
    for (Stage s : ctx.stageList()) {
      boolean seen = false;
      for (Instruction ins : s.instructions()) {
        if (type.isInstance(ins)) {
          if (seen) {
            f.accept(type.cast(ins));
          }
          seen = true;
        }
      }
    }
  }
}
