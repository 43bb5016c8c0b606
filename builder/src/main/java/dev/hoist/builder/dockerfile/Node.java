package dev.hoist.builder.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of the parse tree: the first layer of the front end, before any meaning is given
 * to the words.
 *
 * @param keyword the instruction word as written ({@code run}, {@code RUN}, {@code Foo})
 * @param flags the leading {@code --name[=value]} words, quotes and escapes removed
 * @param args the arguments as the instruction's line parser split them
 * @param child the sub-instruction of ONBUILD
 * @param json whether the arguments were a JSON array (exec form)
 * @param heredocs here-documents whose bodies follow the instruction
 * @param original the instruction text with continuation lines joined
 * @param range the lines it spans, including heredoc bodies
 * @param comments the comment lines directly above it
 */
public record Node(
    String keyword,
    List<String> flags,
    List<String> args,
    Optional<Node> child,
    boolean json,
    List<Heredoc> heredocs,
    String original,
    SourceRange range,
    List<String> comments) {

  public Node {
    Objects.requireNonNull(keyword, "keyword");
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    Objects.requireNonNull(child, "child");
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(range, "range");
    comments = List.copyOf(comments);
  }

  /** The keyword in lower case, which is how instructions are matched. */
  public String command() {
    return keyword.toLowerCase(Locale.ROOT);
  }

  Node withRange(SourceRange r) {
    return new Node(keyword, flags, args, child, json, heredocs, original, r, comments);
  }

  Node withHeredocs(List<Heredoc> docs) {
    return new Node(keyword, flags, args, child, json, docs, original, range, comments);
  }

  Node withComments(List<String> c) {
    return new Node(keyword, flags, args, child, json, heredocs, original, range, c);
  }
}
