package dev.hoist.builder.lint;

import static dev.hoist.builder.lint.LintContext.line;

import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Rules about installing packages with apt-get, apk and pip. */
final class PackageRules {
  private PackageRules() {}

  static List<LintRule> all() {
    return List.of(
        new LintRule(
            "DL3014",
            Severity.WARNING,
            "Use the -y switch to avoid manual input `apt-get -y install <package>`",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isAptGetInstall(cmd) && !assumesYes(cmd)) {
                        r.at(
                            line(run),
                            "Use the -y switch to avoid manual input `apt-get -y install <package>`");
                      }
                    })),
        new LintRule(
            "DL3015",
            Severity.INFO,
            "Avoid additional packages by specifying `--no-install-recommends`",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isAptGetInstall(cmd)
                          && !cmd.has("--no-install-recommends")
                          && cmd.words().stream()
                              .noneMatch(w -> w.contains("Install-Recommends=false"))) {
                        r.at(
                            line(run),
                            "Avoid additional packages by specifying `--no-install-recommends`");
                      }
                    })),
        new LintRule(
            "DL3009",
            Severity.INFO,
            "Delete the apt-get lists after installing something",
            (ctx, r) -> {
              for (Stage s : ctx.stageList()) {
                for (Instruction ins : s.instructions()) {
                  if (ins instanceof RunInstruction run
                      && installsWithApt(run)
                      && !cleansAptLists(run)) {
                    r.at(
                        line(run),
                        "Delete the apt-get lists after installing something: add `&& rm -rf /var/lib/apt/lists/*` to the same RUN");
                  }
                }
              }
            }),
        new LintRule(
            "DL3008",
            Severity.WARNING,
            "Pin versions in apt-get install",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isAptGetInstall(cmd)) {
                        List<String> loose =
                            unpinned(
                                packages(cmd, "install", Set.of("-o", "-t", "--target-release")),
                                "=");
                        if (!loose.isEmpty()) {
                          r.at(
                              line(run),
                              "Pin versions in apt-get install. Instead of `apt-get install "
                                  + loose.get(0)
                                  + "` use `apt-get install "
                                  + loose.get(0)
                                  + "=<version>`");
                        }
                      }
                    })),
        new LintRule(
            "DL3027",
            Severity.WARNING,
            "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (cmd.program().equals("apt")) {
                        r.at(
                            line(run),
                            "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead");
                      }
                    })),
        new LintRule(
            "DL3019",
            Severity.INFO,
            "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*`",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isApkAdd(cmd)
                          && !cmd.has("--no-cache")
                          && run.mounts().stream().noneMatch(m -> m.contains("/var/cache/apk"))) {
                        r.at(
                            line(run),
                            "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages");
                      }
                    })),
        new LintRule(
            "DL3018",
            Severity.WARNING,
            "Pin versions in apk add",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isApkAdd(cmd)) {
                        List<String> loose =
                            unpinned(
                                packages(
                                    cmd, "add", Set.of("--virtual", "-t", "--repository", "-X")),
                                "=");
                        if (!loose.isEmpty()) {
                          r.at(
                              line(run),
                              "Pin versions in apk add. Instead of `apk add "
                                  + loose.get(0)
                                  + "` use `apk add "
                                  + loose.get(0)
                                  + "=<version>`");
                        }
                      }
                    })),
        new LintRule(
            "DL3013",
            Severity.WARNING,
            "Pin versions in pip",
            (ctx, r) ->
                eachCommand(
                    ctx,
                    (run, cmd) -> {
                      if (isPipInstall(cmd)) {
                        List<String> loose = new ArrayList<>();
                        for (String p :
                            packages(
                                cmd,
                                "install",
                                Set.of(
                                    "-r",
                                    "--requirement",
                                    "-c",
                                    "--constraint",
                                    "-e",
                                    "--editable",
                                    "-i",
                                    "--index-url",
                                    "--extra-index-url",
                                    "-f",
                                    "--find-links",
                                    "--target",
                                    "-t",
                                    "--prefix",
                                    "--root"))) {
                          boolean pinned =
                              p.contains("==")
                                  || p.contains(">=")
                                  || p.contains("~=")
                                  || p.contains("<")
                                  || p.contains("@");
                          boolean local =
                              p.startsWith(".")
                                  || p.startsWith("/")
                                  || p.contains("://")
                                  || p.endsWith(".whl")
                                  || p.endsWith(".tar.gz");
                          if (!pinned && !local) {
                            loose.add(p);
                          }
                        }
                        if (!loose.isEmpty()) {
                          r.at(
                              line(run),
                              "Pin versions in pip. Instead of `pip install "
                                  + loose.get(0)
                                  + "` use `pip install "
                                  + loose.get(0)
                                  + "==<version>` or `pip install -r requirements.txt`");
                        }
                      }
                    })));
  }

  static void eachCommand(LintContext ctx, BiConsumer<RunInstruction, ShellScript.Command> f) {
    for (Stage s : ctx.stageList()) {
      for (Instruction ins : s.instructions()) {
        if (ins instanceof RunInstruction run) {
          for (ShellScript.Command c : LintContext.commands(run)) {
            f.accept(run, c.program().equals("sudo") ? withoutSudo(c) : c);
          }
        }
      }
    }
  }

  private static ShellScript.Command withoutSudo(ShellScript.Command c) {
    int i = 1;
    while (i < c.words().size() && c.words().get(i).startsWith("-")) {
      i++;
    }
    return new ShellScript.Command(c.words().subList(i, c.words().size()), c.pipedFrom());
  }

  static boolean isAptGetInstall(ShellScript.Command c) {
    return c.program().equals("apt-get") && c.has("install");
  }

  static boolean isApkAdd(ShellScript.Command c) {
    return c.program().equals("apk") && c.has("add");
  }

  static boolean isPipInstall(ShellScript.Command c) {
    String p = c.program();
    boolean pip = p.equals("pip") || p.equals("pip3") || p.matches("pip3\\.\\d+");
    boolean module =
        p.startsWith("python")
            && c.words().size() > 2
            && c.words().get(1).equals("-m")
            && c.words().get(2).startsWith("pip");
    return (pip || module) && c.has("install");
  }

  private static boolean assumesYes(ShellScript.Command c) {
    for (String w : c.words()) {
      if (w.equals("--yes") || w.equals("--assume-yes") || w.equals("-qq") || w.equals("-q=2")) {
        return true;
      }
      if (w.startsWith("-") && !w.startsWith("--") && w.contains("y")) {
        return true;
      }
    }
    return false;
  }

  static boolean installsWithApt(RunInstruction run) {
    for (ShellScript.Command c : LintContext.commands(run)) {
      if (c.program().equals("apt-get") && (c.has("install") || c.has("update"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean cleansAptLists(RunInstruction run) {
    if (run.mounts().stream().anyMatch(m -> m.contains("/var/lib/apt"))) {
      return true;
    }
    for (ShellScript.Command c : LintContext.commands(run)) {
      if (c.program().equals("rm")
          && c.words().stream().anyMatch(w -> w.startsWith("/var/lib/apt/lists"))) {
        return true;
      }
      if (c.program().equals("apt-get")
          && (c.has("clean") || c.has("dist-clean"))
          && c.words().stream().anyMatch(w -> w.contains("lists"))) {
        return true;
      }
    }
    return false;
  }

  /** The package words after {@code subcommand}: options and their arguments skipped. */
  private static List<String> packages(
      ShellScript.Command c, String subcommand, Set<String> optionsWithValue) {
    List<String> out = new ArrayList<>();
    List<String> w = c.words();
    int i = w.indexOf(subcommand);
    if (i < 0) {
      return out;
    }
    for (i = i + 1; i < w.size(); i++) {
      String word = w.get(i);
      if (word.startsWith("-")) {
        if (optionsWithValue.contains(word)) {
          i++;
        }
        continue;
      }
      if (word.startsWith(">") || word.startsWith("<") || word.matches("\\d*>.*")) {
        break; // a redirection
      }
      out.add(word);
    }
    return out;
  }

  private static List<String> unpinned(List<String> packages, String pin) {
    List<String> out = new ArrayList<>();
    for (String p : packages) {
      if (!p.contains(pin)
          && !p.endsWith(".deb")
          && !p.startsWith("/")
          && !p.startsWith("$")
          && !p.startsWith(".")) {
        out.add(p);
      }
    }
    return out;
  }
}
