package dev.hoist.builder.build;

import dev.hoist.builder.instructions.AddInstruction;
import dev.hoist.builder.instructions.ArgInstruction;
import dev.hoist.builder.instructions.CmdInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.EntrypointInstruction;
import dev.hoist.builder.instructions.EnvInstruction;
import dev.hoist.builder.instructions.ExposeInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.LabelInstruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.UserInstruction;
import dev.hoist.builder.instructions.WorkdirInstruction;
import dev.hoist.image.ContainerConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code created_by} text of a history entry, in BuildKit's words: {@code RUN /bin/sh -c make #
 * buildkit}, {@code COPY app /app # buildkit}, {@code ENV A=b}, {@code CMD ["sh"]}.
 */
final class HistoryText {
  static final String COMMENT = "buildkit.dockerfile.v0";

  private HistoryText() {}

  /** For a RUN: its argv, with the build args it sees first ({@code |1 A=b}), as BuildKit does. */
  static String run(List<String> argv, Map<String, String> args) {
    StringBuilder sb = new StringBuilder("RUN ");
    if (!args.isEmpty()) {
      sb.append('|').append(args.size()).append(' ');
      new TreeMap<>(args).forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
    }
    return sb.append(String.join(" ", argv)).append(" # buildkit").toString();
  }

  /** For any other step; {@code after} is the container config the step produced. */
  static String of(Instruction ins, ContainerConfig after) {
    if (ins instanceof CopyInstruction copy) {
      return "COPY "
          + copy.from().map(f -> "--from=" + f + " ").orElse("")
          + copy.chown().map(c -> "--chown=" + c + " ").orElse("")
          + copy.chmod().map(c -> "--chmod=" + c + " ").orElse("")
          + String.join(" ", copy.sources())
          + " "
          + copy.destination()
          + " # buildkit";
    }
    if (ins instanceof AddInstruction add) {
      return "ADD "
          + add.chown().map(c -> "--chown=" + c + " ").orElse("")
          + add.chmod().map(c -> "--chmod=" + c + " ").orElse("")
          + String.join(" ", add.sources())
          + " "
          + add.destination()
          + " # buildkit";
    }
    if (ins instanceof EnvInstruction env) {
      return "ENV " + pairs(env.vars());
    }
    if (ins instanceof LabelInstruction label) {
      return "LABEL " + pairs(label.labels());
    }
    if (ins instanceof ArgInstruction arg) {
      return "ARG "
          + arg.args().stream()
              .map(a -> a.name() + a.defaultValue().map(v -> "=" + v).orElse(""))
              .collect(Collectors.joining(" "));
    }
    if (ins instanceof CmdInstruction cmd) {
      return "CMD " + goQuoted(after.cmd().orElse(cmd.command().args()));
    }
    if (ins instanceof EntrypointInstruction ep) {
      return "ENTRYPOINT " + goQuoted(after.entrypoint().orElse(ep.command().args()));
    }
    if (ins instanceof ExposeInstruction expose) {
      return "EXPOSE map["
          + expose.ports().stream()
              .map(p -> (p.contains("/") ? p : p + "/tcp") + ":{}")
              .sorted()
              .collect(Collectors.joining(" "))
          + "]";
    }
    if (ins instanceof UserInstruction user) {
      return "USER " + user.user();
    }
    if (ins instanceof WorkdirInstruction wd) {
      return "WORKDIR " + after.workingDir().orElse(wd.path()); // as BuildKit: the path it resolved
    }
    if (ins instanceof RunInstruction) {
      throw new IllegalArgumentException("use run() for RUN");
    }
    // VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, MAINTAINER, ONBUILD: the line as written.
    return ins.source().original().strip();
  }

  private static String pairs(List<KeyValue> kvs) {
    return kvs.stream().map(kv -> kv.key() + "=" + kv.value()).collect(Collectors.joining(" "));
  }

  /** Go's {@code %q} of a string slice: {@code ["sh" "-c" "echo hi"]}. */
  static String goQuoted(List<String> args) {
    return args.stream().map(HistoryText::goQuote).collect(Collectors.joining(" ", "[", "]"));
  }

  private static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(ch);
      }
    }
    return sb.append('"').toString();
  }
}
