package dev.hoist.builder.lint;

import dev.hoist.builder.dockerfile.Dockerfile;
import dev.hoist.builder.dockerfile.DockerfileException;
import dev.hoist.builder.dockerfile.DockerfileParser;
import dev.hoist.builder.dockerfile.Node;
import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.instructions.Stage;
import dev.hoist.builder.plan.BaseImages;
import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.builder.plan.BuildPlan;
import dev.hoist.builder.plan.PlanWarning;
import dev.hoist.builder.plan.Planner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dockerfile best-practice checks with stable rule ids and line numbers. A comment {@code #
 * hadolint ignore=DL3008,DL3015} (or {@code # hoist-lint ignore=...}) right above an instruction
 * silences those rules for it; the parser directive {@code # check=skip=DL3008;error=true} skips
 * rules for the whole file or makes its warnings errors.
 */
public final class Linter {
  private static final Pattern IGNORE =
      Pattern.compile("^(?:hadolint|hoist-lint)\\s+ignore\\s*=\\s*([A-Za-z0-9, ]+)");

  private Linter() {}

  /** Every rule, in id order. */
  public static List<LintRule> rules() {
    List<LintRule> all = new ArrayList<>();
    all.add(
        new LintRule("HL0001", Severity.ERROR, "The Dockerfile must parse and plan", (c, r) -> {}));
    all.addAll(StageRules.all());
    all.addAll(PackageRules.all());
    all.addAll(InstructionRules.all());
    all.add(
        new LintRule(
            "HL1007", Severity.WARNING, "Variables must be defined before use", (c, r) -> {}));
    all.add(new LintRule("HL1008", Severity.INFO, "No empty continuation lines", (c, r) -> {}));
    all.sort(Comparator.comparing(LintRule::id));
    return all;
  }

  /** Lints {@code text}; a Dockerfile that does not parse gives one HL0001 error finding. */
  public static LintReport lint(String fileName, String text) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(text, "text");
    Dockerfile df;
    DockerfileStages stages;
    try {
      df = DockerfileParser.parse(fileName, text);
      stages = InstructionParser.stages(df);
    } catch (DockerfileException e) {
      return new LintReport(List.of(syntax(e)));
    }
    List<Finding> findings = new ArrayList<>();
    LintContext ctx = new LintContext(df, stages);
    for (LintRule rule : rules()) {
      rule.check()
          .run(
              ctx,
              (line, msg) ->
                  findings.add(new Finding(rule.id(), rule.severity(), fileName, line, msg)));
    }
    findings.addAll(planFindings(fileName, stages));
    Map<Integer, Set<String>> ignored = ignores(df);
    List<Finding> kept = new ArrayList<>(new LinkedHashSet<>(findings));
    kept.removeIf(f -> ignored.getOrDefault(f.line(), Set.of()).contains(f.ruleId()));
    kept = applyCheckDirective(df.directives().check().orElse(""), kept);
    kept.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::ruleId));
    return new LintReport(kept);
  }

  /**
   * Honours {@code # check=skip=ID,ID;error=true} as BuildKit does for its checks: skipped rules
   * (or {@code skip=all}) are dropped, {@code error=true} makes warnings errors. HL0001 stays.
   */
  static List<Finding> applyCheckDirective(String check, List<Finding> findings) {
    CheckDirective directive = CheckDirective.parse(check);
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      boolean always = f.ruleId().equals("HL0001");
      if (!always && directive.skips(f.ruleId())) {
        continue;
      }
      boolean promote = directive.error() && f.severity() == Severity.WARNING;
      out.add(
          promote
              ? new Finding(f.ruleId(), Severity.ERROR, f.fileName(), f.line(), f.message())
              : f);
    }
    return out;
  }

  private static Finding syntax(DockerfileException e) {
    return new Finding("HL0001", Severity.ERROR, e.fileName(), e.range().start(), e.detail());
  }

  /**
   * Undefined variables and plan errors. Planning drops the stages a target does not need, so the
   * default target is planned first, then each named stage no earlier plan covered.
   */
  private static List<Finding> planFindings(String fileName, DockerfileStages stages) {
    List<Finding> out = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    List<BuildOptions> targets = new ArrayList<>();
    targets.add(BuildOptions.defaults());
    for (int i = stages.stages().size() - 1; i >= 0; i--) {
      stages
          .stages()
          .get(i)
          .name()
          .ifPresent(n -> targets.add(BuildOptions.defaults().withTarget(n)));
    }
    for (BuildOptions opts : targets) {
      if (opts.target().isPresent()
          && covered.contains(stages.stage(opts.target().get()).map(Stage::index).orElse(-1))) {
        continue;
      }
      try {
        BuildPlan plan = Planner.plan(stages, opts, BaseImages.NONE);
        plan.stages().forEach(s -> covered.add(s.index()));
        for (PlanWarning w : plan.warnings()) {
          if (w.range() == null) {
            continue;
          }
          switch (w.ruleId()) {
            case "UndefinedVar", "UndefinedArgInFrom" ->
                out.add(
                    new Finding(
                        "HL1007",
                        Severity.WARNING,
                        fileName,
                        w.range().start(),
                        capitalise(w.message())));
            default -> {}
          }
        }
      } catch (DockerfileException e) {
        out.add(syntax(e));
      } catch (IllegalArgumentException e) {
        // a target that cannot be planned on its own is reported by the default target
      }
    }
    for (String w : stages.warnings()) {
      int line = Integer.parseInt(w.replaceFirst("^.*?:(\\d+):.*$", "$1"));
      out.add(
          new Finding(
              "HL1008",
              Severity.INFO,
              fileName,
              line,
              "Empty continuation line: it will become an error in a future Docker release; remove it or make it a comment"));
    }
    return out;
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  private static Map<Integer, Set<String>> ignores(Dockerfile df) {
    Map<Integer, Set<String>> out = new HashMap<>();
    for (Node n : df.nodes()) {
      for (String c : n.comments()) {
        Matcher m = IGNORE.matcher(c);
        if (m.find()) {
          Set<String> ids = out.computeIfAbsent(n.range().start(), k -> new HashSet<>());
          for (String id : m.group(1).split(",")) {
            ids.add(id.trim().toUpperCase(Locale.ROOT));
          }
        }
      }
    }
    return out;
  }
}
