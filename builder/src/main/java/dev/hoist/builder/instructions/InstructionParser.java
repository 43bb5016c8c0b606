package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.Dockerfile;
import dev.hoist.builder.dockerfile.DockerfileException;
import dev.hoist.builder.dockerfile.DockerfileParser;
import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.builder.dockerfile.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gives the parse tree its meaning: one typed record per instruction, grouped into stages. Every
 * error names the file and line of the instruction.
 */
public final class InstructionParser {
  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern ONBUILD_PREFIX =
      Pattern.compile("^\\s*ONBUILD\\s*", Pattern.CASE_INSENSITIVE);

  private InstructionParser() {}

  /** Parses and types {@code text} in one go. */
  public static DockerfileStages parse(String fileName, String text) {
    return stages(DockerfileParser.parse(fileName, text));
  }

  /**
   * Types every instruction and groups them into stages.
   *
   * @throws DockerfileException for the first instruction that is malformed or misplaced
   */
  public static DockerfileStages stages(Dockerfile df) {
    List<ArgInstruction> globalArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    FromInstruction from = null;
    List<Instruction> body = new ArrayList<>();
    for (Node node : df.nodes()) {
      Instruction ins = instruction(df.fileName(), node);
      if (ins instanceof FromInstruction f) {
        if (from != null) {
          stages.add(new Stage(stages.size(), from.stageName(), from, body));
        }
        from = f;
        body = new ArrayList<>();
      } else if (from == null) {
        if (ins instanceof ArgInstruction a) {
          globalArgs.add(a);
        } else {
          throw error(
              df.fileName(),
              node,
              ins.keyword() + " before the first FROM; only ARG may come before FROM");
        }
      } else {
        body.add(ins);
      }
    }
    if (from == null) {
      Node last = df.nodes().get(df.nodes().size() - 1);
      throw error(
          df.fileName(), last, "no FROM instruction: a Dockerfile needs at least one build stage");
    }
    stages.add(new Stage(stages.size(), from.stageName(), from, body));
    return new DockerfileStages(df.fileName(), df.directives(), globalArgs, stages, df.warnings());
  }

  private static DockerfileException error(String file, Node node, String detail) {
    return new DockerfileException(file, node.range(), detail);
  }

  /**
   * Types one instruction.
   *
   * @throws DockerfileException when it is malformed
   */
  public static Instruction instruction(String fileName, Node node) {
    Source source = new Source(fileName, node.range(), node.original());
    String keyword = node.command().toUpperCase(Locale.ROOT);
    if (!Keywords.ALL.contains(keyword)) {
      String hint =
          Keywords.suggest(node.keyword()).map(k -> " (did you mean " + k + "?)").orElse("");
      throw error(fileName, node, "unknown instruction: " + node.keyword() + hint);
    }
    try {
      Flags flags = Flags.parse(keyword, node.flags());
      return switch (keyword) {
        case "FROM" -> from(source, node, flags);
        case "RUN" -> run(source, node, flags);
        case "CMD" -> new CmdInstruction(source, command(node, "CMD"));
        case "ENTRYPOINT" -> new EntrypointInstruction(source, command(node, "ENTRYPOINT"));
        case "LABEL" -> new LabelInstruction(source, pairs(node, "LABEL"));
        case "ENV" -> new EnvInstruction(source, pairs(node, "ENV"));
        case "MAINTAINER" -> new MaintainerInstruction(source, exactlyOne(node, "MAINTAINER"));
        case "EXPOSE" -> new ExposeInstruction(source, atLeastOne(node, "EXPOSE"));
        case "ADD" -> add(source, node, flags);
        case "COPY" -> copy(source, node, flags);
        case "VOLUME" -> volume(source, node);
        case "USER" -> new UserInstruction(source, exactlyOne(node, "USER"));
        case "WORKDIR" -> new WorkdirInstruction(source, exactlyOne(node, "WORKDIR"));
        case "ARG" -> arg(source, node);
        case "ONBUILD" -> onbuild(source, node);
        case "STOPSIGNAL" -> new StopsignalInstruction(source, exactlyOne(node, "STOPSIGNAL"));
        case "HEALTHCHECK" -> healthcheck(source, node, flags);
        case "SHELL" -> shell(source, node);
        default -> throw new IllegalStateException(keyword);
      };
    } catch (IllegalArgumentException e) {
      throw error(fileName, node, e.getMessage());
    }
  }

  private static FromInstruction from(Source source, Node node, Flags flags) {
    List<String> args = node.args();
    boolean named = args.size() == 3 && args.get(1).equalsIgnoreCase("as");
    if (args.size() != 1 && !named) {
      throw new IllegalArgumentException(
          "FROM requires either one or three arguments: FROM [--platform=P] IMAGE [AS NAME]");
    }
    Optional<String> name = Optional.empty();
    if (named) {
      String lower = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(lower).matches()) {
        throw new IllegalArgumentException(
            "invalid name for build stage: \""
                + args.get(2)
                + "\", name can't start with a number or contain symbols");
      }
      name = Optional.of(lower);
    }
    return new FromInstruction(source, args.get(0), name, flags.string("platform"));
  }

  private static RunInstruction run(Source source, Node node, Flags flags) {
    CommandForm cmd = command(node, "RUN");
    if (cmd.args().isEmpty() && !node.json()) {
      throw new IllegalArgumentException("RUN requires at least one argument");
    }
    if (!flags.repeated("device").isEmpty()) {
      // Refused rather than dropped: the step would run without the devices it asked for.
      throw new IllegalArgumentException(
          "RUN --device (CDI devices in the step) is not supported by hoist yet; remove the flag");
    }
    return new RunInstruction(
        source,
        cmd,
        flags.repeated("mount"),
        flags.string("network"),
        flags.string("security"),
        node.heredocs());
  }

  private static CommandForm command(Node node, String keyword) {
    if (node.json()) {
      return CommandForm.exec(node.args());
    }
    if (node.args().isEmpty()) {
      throw new IllegalArgumentException(keyword + " requires at least one argument");
    }
    return CommandForm.shell(node.args().get(0));
  }

  private static List<KeyValue> pairs(Node node, String keyword) {
    List<String> a = node.args();
    if (a.isEmpty()) {
      throw new IllegalArgumentException(keyword + " requires at least one argument");
    }
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i + 1 < a.size(); i += 3) {
      if (a.get(i).isEmpty()) {
        throw new IllegalArgumentException(keyword + " names can not be blank");
      }
      out.add(new KeyValue(a.get(i), a.get(i + 1)));
    }
    return out;
  }

  private static String exactlyOne(Node node, String keyword) {
    if (node.args().size() != 1) {
      throw new IllegalArgumentException(keyword + " requires exactly one argument");
    }
    return node.args().get(0);
  }

  private static List<String> atLeastOne(Node node, String keyword) {
    if (node.args().isEmpty()) {
      throw new IllegalArgumentException(keyword + " requires at least one argument");
    }
    return node.args();
  }

  private record SourcesAndDest(List<String> sources, String dest, List<Heredoc> heredocs) {}

  private static SourcesAndDest sourcesAndDest(Node node, String keyword) {
    List<String> a = node.args();
    if (a.size() < 2) {
      throw new IllegalArgumentException(
          keyword
              + " requires at least two arguments, but only "
              + (a.isEmpty() ? "none was" : "one was")
              + " provided. Destination could not be determined");
    }
    List<String> sources = new ArrayList<>();
    List<Heredoc> docs = new ArrayList<>();
    for (String src : a.subList(0, a.size() - 1)) {
      Optional<Heredoc> doc =
          node.json()
              ? Optional.empty()
              : node.heredocs().stream().filter(h -> isMarkerFor(src, h)).findFirst();
      if (doc.isPresent()) {
        docs.add(doc.get());
      } else {
        sources.add(src);
      }
    }
    return new SourcesAndDest(sources, a.get(a.size() - 1), docs);
  }

  private static boolean isMarkerFor(String word, Heredoc doc) {
    String w = word.replaceFirst("^\\d*<<-?", "");
    return word.contains("<<") && w.replace("\"", "").replace("'", "").equals(doc.name());
  }

  private static AddInstruction add(Source source, Node node, Flags flags) {
    SourcesAndDest sd = sourcesAndDest(node, "ADD");
    return new AddInstruction(
        source,
        sd.sources(),
        sd.dest(),
        flags.string("chown"),
        flags.string("chmod"),
        flags.bool("link"),
        flags.bool("keep-git-dir"),
        flags.string("checksum"),
        flags.repeated("exclude"),
        sd.heredocs(),
        flags.optionalBool("unpack"));
  }

  private static CopyInstruction copy(Source source, Node node, Flags flags) {
    SourcesAndDest sd = sourcesAndDest(node, "COPY");
    Optional<String> from = flags.string("from");
    if (from.isPresent() && from.get().isEmpty()) {
      throw new IllegalArgumentException("COPY --from needs a stage name, index or image");
    }
    return new CopyInstruction(
        source,
        sd.sources(),
        sd.dest(),
        from,
        flags.string("chown"),
        flags.string("chmod"),
        flags.bool("link"),
        flags.bool("parents"),
        flags.repeated("exclude"),
        sd.heredocs());
  }

  private static VolumeInstruction volume(Source source, Node node) {
    List<String> paths = atLeastOne(node, "VOLUME");
    for (String p : paths) {
      if (p.isBlank()) {
        throw new IllegalArgumentException("VOLUME specified can not be an empty string");
      }
    }
    return new VolumeInstruction(source, paths);
  }

  private static ArgInstruction arg(Source source, Node node) {
    List<ArgDecl> decls = new ArrayList<>();
    for (String word : atLeastOne(node, "ARG")) {
      int eq = word.indexOf('=');
      String name = eq < 0 ? word : word.substring(0, eq);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("ARG names can not be blank");
      }
      decls.add(new ArgDecl(name, eq < 0 ? Optional.empty() : Optional.of(word.substring(eq + 1))));
    }
    return new ArgInstruction(source, decls);
  }

  private static OnbuildInstruction onbuild(Source source, Node node) {
    Node child =
        node.child()
            .orElseThrow(
                () -> new IllegalArgumentException("ONBUILD requires at least one argument"));
    String trigger = child.command().toUpperCase(Locale.ROOT);
    if (trigger.equals("ONBUILD") || trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
      throw new IllegalArgumentException(trigger + " isn't allowed as an ONBUILD trigger");
    }
    // Type the trigger now so that a bad one fails here rather than in a downstream build.
    instruction(source.fileName(), child);
    return new OnbuildInstruction(source, ONBUILD_PREFIX.matcher(node.original()).replaceFirst(""));
  }

  private static HealthcheckInstruction healthcheck(Source source, Node node, Flags flags) {
    List<String> a = node.args();
    if (a.isEmpty()) {
      throw new IllegalArgumentException("HEALTHCHECK requires an argument: CMD ... or NONE");
    }
    String type = a.get(0).toUpperCase(Locale.ROOT);
    List<String> test;
    switch (type) {
      case "NONE" -> {
        if (a.size() != 1) {
          throw new IllegalArgumentException("HEALTHCHECK NONE takes no arguments");
        }
        if (!node.flags().isEmpty()) {
          throw new IllegalArgumentException("HEALTHCHECK NONE takes no options");
        }
        test = List.of("NONE");
      }
      case "CMD" -> {
        if (a.size() < 2) {
          throw new IllegalArgumentException("Missing command after HEALTHCHECK CMD");
        }
        List<String> t = new ArrayList<>();
        if (node.json()) {
          t.add("CMD");
          t.addAll(a.subList(1, a.size()));
        } else {
          t.add("CMD-SHELL");
          t.add(a.get(1));
        }
        test = t;
      }
      default ->
          throw new IllegalArgumentException(
              "Unknown type \"" + a.get(0) + "\" in HEALTHCHECK (try CMD)");
    }
    Optional<Integer> retries = Optional.empty();
    if (flags.string("retries").isPresent()) {
      try {
        int r = Integer.parseInt(flags.string("retries").get());
        if (r < 0) {
          throw new IllegalArgumentException("--retries cannot be negative (" + r + ")");
        }
        retries = Optional.of(r);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--retries must be a whole number, not \"" + flags.string("retries").get() + "\"");
      }
    }
    return new HealthcheckInstruction(
        source,
        new HealthcheckSpec(
            test,
            duration(flags, "interval"),
            duration(flags, "timeout"),
            duration(flags, "start-period"),
            duration(flags, "start-interval"),
            retries));
  }

  private static Optional<Duration> duration(Flags flags, String name) {
    Optional<String> text = flags.string(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration d = GoDurations.parse(text.get());
    if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("--" + name + " cannot be less than 1ms: " + text.get());
    }
    return Optional.of(d);
  }

  private static ShellInstruction shell(Source source, Node node) {
    if (!node.json()) {
      throw new IllegalArgumentException(
          "SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
    }
    if (node.args().isEmpty()) {
      throw new IllegalArgumentException("SHELL requires at least one argument");
    }
    return new ShellInstruction(source, node.args());
  }
}
