package dev.hoist.builder.lint;

import static dev.hoist.builder.lint.LintContext.line;

import dev.hoist.builder.dockerfile.Node;
import dev.hoist.builder.instructions.ArgDecl;
import dev.hoist.builder.instructions.ArgInstruction;
import dev.hoist.builder.instructions.EnvInstruction;
import dev.hoist.builder.instructions.FromInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.Stage;
import dev.hoist.builder.instructions.UserInstruction;
import dev.hoist.image.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Rules about base images, stages, users and what ENV/ARG carry. */
final class StageRules {
  // BuildKit's SecretsUsedInArgOrEnv check uses the same word list.
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");
  private static final Pattern PUBLIC = Pattern.compile("(?i)(?:_|^)(?:public)(?:_|$)");

  private StageRules() {}

  static List<LintRule> all() {
    return List.of(
        new LintRule(
            "DL3006",
            Severity.WARNING,
            "Always tag the version of an image explicitly",
            (ctx, r) ->
                eachImageBase(
                    ctx,
                    (from, ref) -> {
                      if (!hasTag(from.image()) && !from.image().contains("@")) {
                        r.at(
                            line(from),
                            "Always tag the version of an image explicitly: FROM "
                                + from.image()
                                + ":<version>");
                      }
                    })),
        new LintRule(
            "DL3007",
            Severity.WARNING,
            "Using latest is prone to errors if the image will ever update",
            (ctx, r) ->
                eachImageBase(
                    ctx,
                    (from, ref) -> {
                      if (ref.tag().filter("latest"::equals).isPresent() && hasTag(from.image())) {
                        r.at(
                            line(from),
                            "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag");
                      }
                    })),
        new LintRule(
            "HL1001",
            Severity.INFO,
            "Pin base images by digest for reproducible builds",
            (ctx, r) ->
                eachImageBase(
                    ctx,
                    (from, ref) -> {
                      if (ref.digest().isEmpty()) {
                        r.at(
                            line(from),
                            "Base image "
                                + from.image()
                                + " is not pinned by digest; use "
                                + from.image()
                                + "@sha256:<digest> for reproducible builds");
                      }
                    })),
        new LintRule(
            "DL3002",
            Severity.WARNING,
            "Last USER should not be root",
            (ctx, r) ->
                lastUser(ctx)
                    .filter(u -> isRoot(u.user()))
                    .ifPresent(u -> r.at(line(u), "Last USER should not be root"))),
        new LintRule(
            "HL1003",
            Severity.INFO,
            "Set a non-root USER in the final stage",
            (ctx, r) -> {
              if (lastUser(ctx).isEmpty()) {
                r.at(
                    line(ctx.finalStage().from()),
                    "No USER in the final stage: the container runs as root; add USER <non-root user>");
              }
            }),
        new LintRule(
            "HL1005",
            Severity.WARNING,
            "Do not use ARG or ENV instructions for sensitive data",
            (ctx, r) -> {
              List<Instruction> all = new ArrayList<>(ctx.stages().globalArgs());
              ctx.stageList().forEach(s -> all.addAll(s.instructions()));
              for (Instruction ins : all) {
                List<String> names = new ArrayList<>();
                if (ins instanceof ArgInstruction a) {
                  a.args().stream().map(ArgDecl::name).forEach(names::add);
                } else if (ins instanceof EnvInstruction e) {
                  e.vars().stream().map(KeyValue::key).forEach(names::add);
                }
                for (String n : names) {
                  if (SECRET.matcher(n).find() && !PUBLIC.matcher(n).find()) {
                    r.at(
                        line(ins),
                        "Do not use ARG or ENV instructions for sensitive data ("
                            + ins.keyword()
                            + " \""
                            + n
                            + "\"): they stay in the image; use RUN --mount=type=secret");
                  }
                }
              }
            }),
        new LintRule(
            "HL1009",
            Severity.WARNING,
            "Use ENV/LABEL key=value, not the legacy key value form",
            (ctx, r) -> {
              for (Node n : ctx.dockerfile().nodes()) {
                Node k = n.child().orElse(n);
                boolean keyValue = k.command().equals("env") || k.command().equals("label");
                if (keyValue && k.args().size() == 3 && k.args().get(2).isEmpty()) {
                  r.at(
                      n.range().start(),
                      "Legacy key/value format with whitespace separator should not be used: write "
                          + k.keyword()
                          + " "
                          + k.args().get(0)
                          + "=...");
                }
              }
            }),
        new LintRule(
            "HL1006",
            Severity.WARNING,
            "Stage names should be lowercase",
            (ctx, r) -> {
              for (Node n : ctx.dockerfile().nodes()) {
                if (n.command().equals("from") && n.args().size() == 3) {
                  String name = n.args().get(2);
                  if (!name.equals(name.toLowerCase(Locale.ROOT))) {
                    r.at(n.range().start(), "Stage name '" + name + "' should be lowercase");
                  }
                }
                if (n.command().equals("from")
                    && n.args().size() == 3
                    && !n.args().get(1).equals(n.args().get(1).toUpperCase(Locale.ROOT))
                    && !n.keyword().equals(n.keyword().toLowerCase(Locale.ROOT))) {
                  r.at(
                      n.range().start(),
                      "'"
                          + n.args().get(1)
                          + "' and '"
                          + n.keyword()
                          + "' keywords' casing do not match");
                }
              }
            }));
  }

  private interface BaseCheck {
    void check(FromInstruction from, Reference ref);
  }

  /** Calls {@code f} for each FROM that names an image (not scratch, a stage or a variable). */
  private static void eachImageBase(LintContext ctx, BaseCheck f) {
    for (Stage s : ctx.stageList()) {
      FromInstruction from = s.from();
      String image = from.image();
      if (image.contains("$") || image.equalsIgnoreCase("scratch") || ctx.isStageName(image)) {
        continue;
      }
      try {
        f.check(from, Reference.parse(image));
      } catch (IllegalArgumentException e) {
        // the planner reports bad references
      }
    }
  }

  private static boolean hasTag(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/');
  }

  /** The last USER of the final stage, following FROM <stage> back through earlier stages. */
  private static Optional<UserInstruction> lastUser(LintContext ctx) {
    Stage s = ctx.finalStage();
    while (true) {
      for (int i = s.instructions().size() - 1; i >= 0; i--) {
        if (s.instructions().get(i) instanceof UserInstruction u) {
          return Optional.of(u);
        }
      }
      Optional<Stage> parent = ctx.stages().stage(s.from().image());
      if (parent.isEmpty() || parent.get().index() >= s.index()) {
        return Optional.empty();
      }
      s = parent.get();
    }
  }

  private static boolean isRoot(String user) {
    String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return u.equals("root") || u.equals("0");
  }
}
