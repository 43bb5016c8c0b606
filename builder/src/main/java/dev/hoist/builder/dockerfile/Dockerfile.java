package dev.hoist.builder.dockerfile;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A parsed Dockerfile: its instructions in source order, its parser directives and the parser's
 * warnings.
 */
public record Dockerfile(
    String fileName, List<Node> nodes, Directives directives, List<String> warnings) {
  public Dockerfile {
    Objects.requireNonNull(fileName, "fileName");
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(directives, "directives");
    warnings = List.copyOf(warnings);
  }

  /** The lines of the first to the last instruction. */
  public SourceRange range() {
    return new SourceRange(nodes.get(0).range().start(), nodes.get(nodes.size() - 1).range().end());
  }

  /**
   * BuildKit's AST dump ({@code parser.Node.Dump()}): one s-expression per instruction, without a
   * final newline.
   */
  public String dump() {
    return nodes.stream().map(n -> "(" + dump(n) + ")").collect(Collectors.joining("\n"));
  }

  /** The dump of one instruction without its parentheses, e.g. {@code copy ["--from=a"] "x"}. */
  public static String dump(Node node) {
    StringBuilder out = new StringBuilder(node.command());
    if (!node.flags().isEmpty()) {
      out.append(' ').append(GoQuote.quoteList(node.flags()));
    }
    node.child().ifPresent(c -> out.append(" (").append(dump(c)).append(')'));
    for (String arg : node.args()) {
      out.append(' ').append(GoQuote.quote(arg));
    }
    return out.toString();
  }
}
