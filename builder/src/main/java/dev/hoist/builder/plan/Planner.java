package dev.hoist.builder.plan;

import dev.hoist.builder.dockerfile.DockerfileException;
import dev.hoist.builder.dockerfile.DockerfileParser;
import dev.hoist.builder.dockerfile.Node;
import dev.hoist.builder.dockerfile.SourceRange;
import dev.hoist.builder.instructions.ArgDecl;
import dev.hoist.builder.instructions.ArgInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.EnvInstruction;
import dev.hoist.builder.instructions.FromInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.Keywords;
import dev.hoist.builder.instructions.OnbuildInstruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.Source;
import dev.hoist.builder.instructions.Stage;
import dev.hoist.builder.shell.Expansion;
import dev.hoist.builder.shell.ShellException;
import dev.hoist.builder.shell.ShellLexer;
import dev.hoist.builder.shell.Variables;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns typed stages into a {@link BuildPlan}, as BuildKit's dockerfile2llb does before it builds:
 * global and per-stage ARG scoping, {@code --build-arg} overrides, the automatic platform args,
 * ENV, variable expansion of the words Docker expands, the stage graph from {@code FROM <stage>},
 * {@code COPY --from} and {@code RUN --mount=from=}, {@code --target}, cycles refused, unneeded
 * stages dropped.
 */
public final class Planner {
  private final DockerfileStages df;
  private final BuildOptions options;
  private final BaseImages images;
  private final ShellLexer lexer;
  private final Map<String, Integer> stageNames = new HashMap<>();
  private final Set<String> usedBuildArgs = new HashSet<>();
  private final Map<String, String> meta = new LinkedHashMap<>();
  private final Set<String> metaDeclared = new HashSet<>();
  private final List<PlanWarning> globalWarnings = new ArrayList<>();

  private Planner(DockerfileStages df, BuildOptions options, BaseImages images) {
    this.df = df;
    this.options = options;
    this.images = images;
    this.lexer = ShellLexer.of(df.directives().escapeToken());
    // A name given twice means the later stage, as in BuildKit and Buildah; the planner warns.
    for (Stage s : df.stages()) {
      s.name().ifPresent(n -> stageNames.put(n, s.index()));
    }
  }

  /**
   * Plans a build.
   *
   * @throws DockerfileException for an error at a line (unknown stage, cycle, bad expansion)
   * @throws IllegalArgumentException when {@code --target} names no stage
   */
  public static BuildPlan plan(DockerfileStages df, BuildOptions options, BaseImages images) {
    Objects.requireNonNull(df, "df");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(images, "images");
    return new Planner(df, options, images).run();
  }

  /** Parses, types and plans {@code text} with default options and no base image knowledge. */
  public static BuildPlan plan(String fileName, String text, BuildOptions options) {
    return plan(InstructionParser.parse(fileName, text), options, BaseImages.NONE);
  }

  /** What dispatching one stage found. */
  private record Dispatched(
      PlannedStage stage, List<PlanWarning> warnings, List<OnbuildInstruction> onbuild) {}

  private BuildPlan run() {
    meta.putAll(PlatformArgs.of(options.targetPlatform(), options.buildPlatform()));
    for (ArgInstruction arg : df.globalArgs()) {
      for (ArgDecl decl : arg.args()) {
        metaDeclared.add(decl.name());
        Optional<String> value = Optional.ofNullable(options.buildArgs().get(decl.name()));
        if (value.isPresent()) {
          usedBuildArgs.add(decl.name());
        } else if (decl.defaultValue().isPresent()) {
          value = Optional.of(expandMeta(decl.defaultValue().get(), arg.source(), "UndefinedVar"));
        }
        value.ifPresent(v -> meta.put(decl.name(), v));
      }
    }
    int target = targetIndex();

    Map<Integer, Dispatched> done = new HashMap<>();
    Map<Integer, RuntimeException> failed = new HashMap<>();
    for (Stage stage : df.stages()) {
      try {
        done.put(stage.index(), dispatch(stage, done, failed));
      } catch (DockerfileException | IllegalStateException e) {
        failed.put(stage.index(), e);
      }
    }

    Map<Integer, Set<Integer>> deps = new HashMap<>();
    done.forEach((i, d) -> deps.put(i, d.stage().dependsOn()));
    StageGraph graph = new StageGraph(df.stages().size(), deps);
    StageGraph.Result result = graph.order(target);
    if (result.cycle().isPresent()) {
      List<Integer> cycle = result.cycle().get().path();
      Stage first = df.stages().get(cycle.get(0));
      String path =
          cycle.stream()
              .map(i -> df.stages().get(i).displayName())
              .collect(Collectors.joining(" -> "));
      throw new DockerfileException(
          df.fileName(),
          first.from().source().range(),
          "circular dependency detected on stage: " + first.displayName() + " (" + path + ")");
    }
    for (int i : new TreeSet<>(result.order())) {
      if (failed.containsKey(i)) {
        throw failed.get(i);
      }
    }

    List<PlanWarning> warnings = new ArrayList<>();
    for (String w : df.warnings()) {
      warnings.add(new PlanWarning("EmptyContinuation", df.fileName(), null, w));
    }
    warnings.addAll(globalWarnings);
    List<PlannedStage> stages = new ArrayList<>();
    for (int i : result.order()) {
      stages.add(done.get(i).stage());
      warnings.addAll(done.get(i).warnings());
    }
    Set<String> unused = new TreeSet<>(options.buildArgs().keySet());
    unused.removeAll(usedBuildArgs);
    unused.removeIf(n -> !PlatformArgs.reportUnused(n));
    Set<String> named = new HashSet<>();
    for (Stage s : df.stages()) {
      if (s.name().isPresent() && !named.add(s.name().get())) {
        warnings.add(
            new PlanWarning(
                "DuplicateStageName",
                df.fileName(),
                s.from().source().range(),
                "Duplicate stage name \""
                    + s.name().get()
                    + "\", stage names should be unique (later references mean the last one)"));
      }
    }
    if (!unused.isEmpty()) {
      warnings.add(
          new PlanWarning(
              "UnusedBuildArg",
              df.fileName(),
              null,
              "one or more build-args " + unused + " were not consumed by any ARG"));
    }
    Map<String, String> globals = new LinkedHashMap<>();
    for (String name : metaDeclared) {
      if (meta.containsKey(name)) {
        globals.put(name, meta.get(name));
      }
    }
    return new BuildPlan(df.fileName(), stages, graph.waves(result.order()), globals, warnings);
  }

  private int targetIndex() {
    if (options.target().isEmpty()) {
      return df.stages().size() - 1;
    }
    String want = options.target().get();
    Integer index = stageNames.get(want.toLowerCase(Locale.ROOT));
    if (index == null) {
      String hint =
          Keywords.closest(want, List.copyOf(new TreeSet<>(stageNames.keySet())), 3)
              .map(n -> " (did you mean \"" + n + "\"?)")
              .orElse("");
      throw new IllegalArgumentException(
          "target stage \""
              + want
              + "\" could not be found in "
              + df.fileName()
              + hint
              + "; named stages: "
              + (stageNames.isEmpty()
                  ? "none"
                  : String.join(", ", new TreeSet<>(stageNames.keySet()))));
    }
    return index;
  }

  private String expandMeta(String word, Source source, String rule) {
    try {
      Expansion x = lexer.process(word, Variables.of(meta));
      for (String name : new TreeSet<>(x.unmatched())) {
        if (!metaDeclared.contains(name)) {
          globalWarnings.add(
              new PlanWarning(
                  rule,
                  source.fileName(),
                  source.range(),
                  rule.equals("UndefinedArgInFrom")
                      ? "FROM argument '"
                          + name
                          + "' is not declared; declare it with ARG before the first FROM"
                      : "usage of undefined variable '$" + name + "'"));
        }
      }
      return x.result();
    } catch (ShellException e) {
      throw new DockerfileException(source.fileName(), source.range(), e.getMessage());
    }
  }

  private Dispatched dispatch(
      Stage stage, Map<Integer, Dispatched> done, Map<Integer, RuntimeException> failed) {
    FromInstruction from = stage.from();
    Source fromSource = from.source();
    String baseName = expandMeta(from.image(), fromSource, "UndefinedArgInFrom");
    if (baseName.isBlank()) {
      throw new DockerfileException(
          df.fileName(),
          fromSource.range(),
          "base name (" + from.image() + ") should not be blank; set the ARG it uses");
    }
    Platform platform = options.targetPlatform();
    if (from.platform().isPresent()) {
      String p = expandMeta(from.platform().get(), fromSource, "UndefinedArgInFrom");
      try {
        platform = Platform.parse(p);
      } catch (IllegalArgumentException e) {
        throw new DockerfileException(df.fileName(), fromSource.range(), e.getMessage());
      }
    }

    StageBase base;
    Map<String, String> env = new LinkedHashMap<>();
    boolean envKnown = true;
    List<Instruction> triggers = new ArrayList<>();
    Set<Integer> dependsOn = new LinkedHashSet<>();
    Optional<Named> replaced =
        stage.name().isPresent() ? namedContext(stage.name().get(), platform) : Optional.empty();
    if (replaced.isPresent()) {
      // As in BuildKit, a context named like the stage is the stage: none of its steps run.
      replaced.get().context().config().ifPresent(c -> putEnv(env, c.env()));
      PlannedStage planned =
          new PlannedStage(
              stage.index(),
              stage.name(),
              new StageBase.Context(replaced.get().key()),
              platform,
              List.of(),
              Set.of(),
              Set.of(),
              env);
      return new Dispatched(planned, List.of(), List.of());
    }
    Integer parent = stageNames.get(baseName.toLowerCase(Locale.ROOT));
    Optional<Named> named =
        parent != null && parent < stage.index()
            ? Optional.empty()
            : namedContext(baseName, platform);
    if (named.isPresent()) {
      // An earlier stage of that name wins over a context, as in BuildKit; nothing else does.
      base = new StageBase.Context(named.get().key());
      Optional<BaseImages.Config> config = named.get().context().config();
      if (config.isPresent()) {
        putEnv(env, config.get().env());
        for (String t : config.get().onBuild()) {
          triggers.addAll(triggerInstructions(t, fromSource, named.get().key()));
        }
      }
    } else if (parent != null && parent < stage.index()) {
      if (failed.containsKey(parent)) {
        throw failed.get(parent);
      }
      Dispatched p = done.get(parent);
      base = new StageBase.Stage(parent);
      dependsOn.add(parent);
      env.putAll(p.stage().finalEnv());
      for (OnbuildInstruction o : p.onbuild()) {
        triggers.addAll(triggerInstructions(o.trigger(), fromSource, p.stage().displayName()));
      }
    } else if (baseName.equalsIgnoreCase("scratch")) {
      base = new StageBase.Scratch();
      StageDefaults.addPath(env, platform);
    } else {
      String ref;
      try {
        ref = Reference.parse(baseName).toString();
      } catch (IllegalArgumentException e) {
        throw new DockerfileException(df.fileName(), fromSource.range(), e.getMessage());
      }
      base = new StageBase.Image(ref);
      Optional<BaseImages.Config> config = images.lookup(ref, platform);
      envKnown = config.isPresent();
      if (config.isPresent()) {
        putEnv(env, config.get().env());
        StageDefaults.addPath(env, platform);
        for (String t : config.get().onBuild()) {
          triggers.addAll(triggerInstructions(t, fromSource, ref));
        }
      }
    }

    Map<String, String> args = new LinkedHashMap<>();
    Set<String> declared = new HashSet<>();
    List<PlanWarning> warnings = new ArrayList<>();
    Set<String> imagesUsed = new LinkedHashSet<>();
    List<OnbuildInstruction> onbuild = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    Variables scope =
        name -> Optional.ofNullable(env.containsKey(name) ? env.get(name) : args.get(name));
    boolean warnUndefined = envKnown;

    List<Instruction> all = new ArrayList<>(triggers);
    all.addAll(stage.instructions());
    for (Instruction ins : all) {
      Source src = ins.source();
      InstructionExpander expander =
          new InstructionExpander(
              lexer,
              scope,
              names -> {
                if (!warnUndefined) {
                  return;
                }
                for (String n : new TreeSet<>(names)) {
                  if (!declared.contains(n) && !env.containsKey(n)) {
                    warnings.add(undefinedVar(n, src, env.keySet(), declared));
                  }
                }
              });
      Map<String, String> envBefore = Map.copyOf(env);
      Map<String, String> argsBefore = Map.copyOf(args);
      Instruction expanded;
      try {
        if (ins instanceof ArgInstruction a) {
          List<ArgDecl> decls = new ArrayList<>();
          for (ArgDecl d : a.args()) {
            // The name is a word Docker expands too: ARG ${name}=x declares what $name holds.
            String name = expander.word(d.name());
            if (name.isEmpty()) {
              continue; // a name from an unset variable declares nothing (it was warned about)
            }
            Optional<String> value = Optional.ofNullable(options.buildArgs().get(name));
            if (value.isPresent()) {
              usedBuildArgs.add(name);
            } else if (d.defaultValue().isPresent()) {
              value = Optional.of(expander.word(d.defaultValue().get()));
            } else if (meta.containsKey(name)) {
              value = Optional.of(meta.get(name)); // a global ARG, or an automatic one
            }
            declared.add(name);
            value.ifPresent(v -> args.put(name, v));
            decls.add(new ArgDecl(name, value));
          }
          expanded = new ArgInstruction(a.source(), decls);
        } else if (ins instanceof EnvInstruction e) {
          // Every pair expands with the environment from before the instruction, as in BuildKit:
          // ENV a=two b=$a gives b the old a.
          List<KeyValue> vars = new ArrayList<>();
          for (KeyValue kv : e.vars()) {
            vars.add(new KeyValue(expander.word(kv.key()), expander.word(kv.value())));
          }
          vars.forEach(x -> env.put(x.key(), x.value()));
          expanded = new EnvInstruction(e.source(), vars);
        } else {
          expanded = expander.expand(ins);
        }
      } catch (ShellException e) {
        throw new DockerfileException(src.fileName(), src.range(), e.getMessage());
      }
      if (expanded instanceof CopyInstruction c && c.from().isPresent()) {
        resolveFrom(
            c.from().get(), stage.index(), platform, src, "COPY --from", dependsOn, imagesUsed);
      }
      if (expanded instanceof RunInstruction r) {
        for (String mount : r.mounts()) {
          Optional<String> mountFrom = mountFrom(mount);
          if (mountFrom.isPresent()) {
            resolveFrom(
                mountFrom.get(),
                stage.index(),
                platform,
                src,
                "RUN --mount=from",
                dependsOn,
                imagesUsed);
          }
        }
      }
      if (expanded instanceof OnbuildInstruction o) {
        onbuild.add(o);
      }
      steps.add(new Step(expanded, envBefore, argsBefore));
    }
    PlannedStage planned =
        new PlannedStage(
            stage.index(), stage.name(), base, platform, steps, dependsOn, imagesUsed, env);
    return new Dispatched(planned, warnings, onbuild);
  }

  /** A named build context and the key it was found under. */
  private record Named(String key, BaseImages.ContextConfig context) {}

  /** The named build context that stands for {@code name} (a stage, image or --from name). */
  private Optional<Named> namedContext(String name, Platform platform) {
    Optional<String> key = ContextNames.lookupKey(name);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    return images.namedContext(key.get(), platform).map(c -> new Named(key.get(), c));
  }

  /** Adds an image config's {@code KEY=VALUE} entries to {@code env}. */
  private static void putEnv(Map<String, String> env, List<String> entries) {
    for (String kv : entries) {
      int eq = kv.indexOf('=');
      env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
  }

  private PlanWarning undefinedVar(
      String name, Source src, Set<String> envNames, Set<String> argNames) {
    List<String> known = new ArrayList<>(new TreeSet<>(envNames));
    known.addAll(new TreeSet<>(argNames));
    String hint =
        Keywords.closest(name, known, 2).map(k -> " (did you mean $" + k + "?)").orElse("");
    return new PlanWarning(
        "UndefinedVar",
        src.fileName(),
        src.range(),
        "usage of undefined variable '$" + name + "'" + hint);
  }

  /** The ONBUILD trigger of a base, as instructions that run first in the stage. */
  private List<Instruction> triggerInstructions(String trigger, Source from, String baseName) {
    String file = df.fileName() + " (ONBUILD of " + baseName + ")";
    List<Instruction> out = new ArrayList<>();
    for (Node node : DockerfileParser.parse(file, trigger).nodes()) {
      Node placed =
          new Node(
              node.keyword(),
              node.flags(),
              node.args(),
              node.child(),
              node.json(),
              node.heredocs(),
              node.original(),
              from.range(),
              List.of());
      out.add(InstructionParser.instruction(file, placed));
    }
    return out;
  }

  /** The {@code from=} of a {@code --mount} spec ({@code type=bind,from=build,target=/x}). */
  static Optional<String> mountFrom(String spec) {
    for (String field : spec.split(",")) {
      int eq = field.indexOf('=');
      if (eq > 0 && field.substring(0, eq).trim().equalsIgnoreCase("from")) {
        String v = field.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private void resolveFrom(
      String from,
      int self,
      Platform platform,
      Source src,
      String what,
      Set<Integer> dependsOn,
      Set<String> imagesUsed) {
    SourceRange at = src.range();
    Integer index = stageNames.get(from.toLowerCase(Locale.ROOT));
    if (index == null && from.matches("\\d+")) {
      try {
        index = Integer.parseInt(from);
      } catch (NumberFormatException e) {
        index = Integer.MAX_VALUE;
      }
      if (index >= df.stages().size()) {
        throw new DockerfileException(
            src.fileName(),
            at,
            what
                + "="
                + from
                + ": invalid stage index; this Dockerfile has stages 0 to "
                + (df.stages().size() - 1));
      }
    }
    if (index != null) {
      if (index == self) {
        throw new DockerfileException(
            src.fileName(),
            at,
            "circular dependency detected on stage: "
                + df.stages().get(self).displayName()
                + " ("
                + what
                + " refers to its own stage)");
      }
      dependsOn.add(index);
      return;
    }
    if (namedContext(from, platform).isPresent()) {
      return; // the build resolves it; it is neither a stage nor an image to pull
    }
    if (!from.contains("/") && !from.contains(":") && !from.contains("@") && !from.contains(".")) {
      Optional<String> near =
          Keywords.closest(from, List.copyOf(new TreeSet<>(stageNames.keySet())), 2);
      if (near.isPresent()) {
        throw new DockerfileException(
            src.fileName(),
            at,
            "unknown stage \""
                + from
                + "\" in "
                + what
                + " (did you mean \""
                + near.get()
                + "\"?); to use an image of that name write its full reference, e.g. docker.io/library/"
                + from);
      }
    }
    try {
      imagesUsed.add(Reference.parse(from).toString());
    } catch (IllegalArgumentException e) {
      throw new DockerfileException(
          src.fileName(),
          at,
          "unknown stage \""
              + from
              + "\" in "
              + what
              + ", and not an image either: "
              + e.getMessage());
    }
  }
}
