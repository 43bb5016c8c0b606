package dev.hoist.builder.dockerfile;

import dev.hoist.builder.shell.GoSpace;
import dev.hoist.builder.shell.ShellException;
import dev.hoist.builder.shell.ShellLexer;
import dev.hoist.builder.shell.Variables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Dockerfile text into a parse tree exactly as BuildKit's parser does: parser directives,
 * comments, line continuations with the escape token, per-instruction argument splitting, and
 * here-documents. Stateless and thread-safe.
 */
public final class DockerfileParser {
  private static final Pattern DIRECTIVE =
      Pattern.compile(
          "^#[\\t\\n\\f\\r ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*$",
          Pattern.UNIX_LINES);
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$", Pattern.DOTALL);
  private static final Set<String> HEREDOC_COMMANDS = Set.of("run", "copy", "add");

  private DockerfileParser() {}

  /** Parses UTF-8 bytes; a leading byte-order mark is ignored. */
  public static Dockerfile parse(String fileName, byte[] content) {
    return parse(fileName, new String(content, StandardCharsets.UTF_8));
  }

  /**
   * Parses {@code text}.
   *
   * @param fileName the name used in error messages, e.g. {@code Dockerfile}
   * @throws DockerfileException naming the line, when the text is not a Dockerfile
   */
  public static Dockerfile parse(String fileName, String text) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(text, "text");
    return new Run(fileName, text).parse();
  }

  /** State of one parse. */
  private static final class Run {
    private final String fileName;
    private final List<String> lines;
    private int next; // index of the next physical line
    private int currentLine; // 1-based number of the last line read
    private int escape = '\\';
    private boolean directivesDone;
    private Optional<String> syntax = Optional.empty();
    private Optional<String> check = Optional.empty();
    private final Set<String> seenDirectives = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();

    Run(String fileName, String text) {
      this.fileName = fileName;
      this.lines = splitLines(text);
    }

    /** Lines with their line endings, like BuildKit's scanner. */
    private static List<String> splitLines(String text) {
      List<String> out = new ArrayList<>();
      int start = 0;
      while (start < text.length()) {
        int nl = text.indexOf('\n', start);
        int end = nl < 0 ? text.length() : nl + 1;
        out.add(text.substring(start, end));
        start = end;
      }
      return out;
    }

    private DockerfileException error(SourceRange range, String detail) {
      return new DockerfileException(fileName, range, detail);
    }

    Dockerfile parse() {
      List<Node> nodes = new ArrayList<>();
      List<String> comments = new ArrayList<>();
      while (next < lines.size()) {
        String raw = lines.get(next++);
        if (currentLine == 0 && raw.startsWith("\uFEFF")) {
          raw = raw.substring(1);
        }
        String noNewline = trimNewline(raw);
        if (isComment(noNewline)) {
          String comment = GoSpace.trim(GoSpace.trimLeft(noNewline).substring(1));
          if (comment.isEmpty()) {
            comments.clear();
          } else {
            comments.add(comment);
          }
        }
        String processed = processLine(noNewline, true);
        currentLine++;
        int startLine = currentLine;
        String[] cont = trimContinuation(processed);
        StringBuilder joined = new StringBuilder(cont[0]);
        boolean endOfLine = cont[1] == null;
        if (endOfLine && joined.length() == 0) {
          continue;
        }
        boolean emptyContinuation = false;
        while (!endOfLine && next < lines.size()) {
          String raw2 = trimNewline(lines.get(next++));
          String processed2 = processLine(raw2, false);
          currentLine++;
          if (isComment(raw2)) {
            continue;
          }
          if (GoSpace.trimLeft(processed2).isEmpty()) {
            emptyContinuation = true;
            continue;
          }
          String[] c2 = trimContinuation(processed2);
          joined.append(c2[0]);
          endOfLine = c2[1] == null;
        }
        String line = joined.toString();
        if (emptyContinuation) {
          warnings.add(
              fileName + ":" + startLine + ": empty continuation line (will become an error)");
        }
        SourceRange range = new SourceRange(startLine, currentLine);
        Node node;
        try {
          node = nodeFromLine(line, range).withComments(comments);
        } catch (LineParsers.LineException e) {
          throw error(range, e.getMessage());
        }
        if (canContainHeredoc(node)) {
          node = readHeredocs(node, line, startLine);
        }
        nodes.add(node);
        comments = new ArrayList<>();
      }
      if (nodes.isEmpty()) {
        throw error(
            SourceRange.line(Math.max(1, currentLine)),
            "file with no instructions; add at least a FROM instruction");
      }
      return new Dockerfile(fileName, nodes, new Directives(escape, syntax, check), warnings);
    }

    private Node nodeFromLine(String line, SourceRange range) throws LineParsers.LineException {
      LineParsers.Split split = LineParsers.splitCommand(line);
      String command = split.keyword().toLowerCase(Locale.ROOT);
      LineParsers.Args args =
          LineParsers.parse(command, split.rest(), escape, sub -> nodeFromLine(sub, range));
      return new Node(
          split.keyword(),
          split.flags(),
          args.values(),
          args.child(),
          args.json(),
          List.of(),
          line,
          range,
          List.of());
    }

    private static boolean canContainHeredoc(Node node) {
      Node n = node;
      if (n.command().equals("onbuild") && n.child().isPresent()) {
        n = n.child().get();
      }
      return HEREDOC_COMMANDS.contains(n.command()) && !n.json();
    }

    private Node readHeredocs(Node node, String line, int startLine) {
      List<Heredoc> found;
      try {
        found = heredocsFromLine(line);
      } catch (ShellException e) {
        throw error(new SourceRange(startLine, currentLine), e.getMessage());
      }
      if (found.isEmpty()) {
        return node;
      }
      List<Heredoc> docs = new ArrayList<>();
      for (Heredoc doc : found) {
        StringBuilder body = new StringBuilder();
        boolean terminated = false;
        while (next < lines.size()) {
          String raw = lines.get(next++);
          currentLine++;
          String candidate = trimNewline(raw);
          if (doc.chomp()) {
            candidate = stripLeadingTabs(candidate);
          }
          if (candidate.equals(doc.name())) {
            terminated = true;
            break;
          }
          body.append(raw);
        }
        if (!terminated) {
          throw error(
              new SourceRange(startLine, Math.max(startLine, currentLine)),
              "unterminated heredoc <<"
                  + doc.name()
                  + ": no line '"
                  + doc.name()
                  + "' ends it before the end of the file");
        }
        docs.add(doc.withContent(body.toString()));
      }
      return node.withHeredocs(docs).withRange(new SourceRange(startLine, currentLine));
    }

    // The escape directive does not change how heredoc words are found: BuildKit uses '\' here.
    private static final ShellLexer HEREDOC_WORDS =
        ShellLexer.of('\\').withRawQuotes(true).withRawEscapes(true).withSkipUnsetEnv(true);
    private static final ShellLexer HEREDOC_NAME = ShellLexer.of('\\').withSkipUnsetEnv(true);

    static List<Heredoc> heredocsFromLine(String line) throws ShellException {
      List<String> words;
      try {
        words = HEREDOC_WORDS.processWords(line, Variables.NONE);
      } catch (ShellException e) {
        return List.of(); // a line the lexer cannot split has no heredocs
      }
      List<Heredoc> docs = new ArrayList<>();
      for (String word : words) {
        parseHeredoc(word).ifPresent(docs::add);
      }
      return docs;
    }

    /** Reads {@code [n]<<[-]WORD}; a quoted WORD turns expansion off. */
    static Optional<Heredoc> parseHeredoc(String word) throws ShellException {
      Matcher m = HEREDOC.matcher(word);
      if (!m.matches() || m.group(3).isEmpty()) {
        return Optional.empty();
      }
      String rest = m.group(3);
      List<String> plain = HEREDOC_NAME.processWords(rest, Variables.NONE);
      if (plain.size() != 1) {
        return Optional.empty();
      }
      List<String> raw = HEREDOC_NAME.withRawQuotes(true).processWords(rest, Variables.NONE);
      if (raw.size() != 1) {
        return Optional.empty();
      }
      boolean expand = quotes(plain.get(0)) == quotes(raw.get(0));
      int fd;
      try {
        fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        fd = 0; // BuildKit ignores an unparsable descriptor too
      }
      return Optional.of(new Heredoc(plain.get(0), fd, expand, !m.group(2).isEmpty(), ""));
    }

    private static long quotes(String s) {
      return s.chars().filter(c -> c == '\'' || c == '"').count();
    }

    private static String stripLeadingTabs(String s) {
      int i = 0;
      while (i < s.length() && s.charAt(i) == '\t') {
        i++;
      }
      return s.substring(i);
    }

    private static String trimNewline(String s) {
      int end = s.length();
      while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
        end--;
      }
      return s.substring(0, end);
    }

    private static boolean isComment(String line) {
      return GoSpace.trimLeft(line).startsWith("#");
    }

    /** Left-trims the first line of an instruction, checks for a directive, drops a comment. */
    private String processLine(String token, boolean stripLeft) {
      if (stripLeft) {
        token = GoSpace.trimLeft(token);
      }
      possibleDirective(token);
      return token.startsWith("#") ? "" : token;
    }

    private void possibleDirective(String line) {
      if (directivesDone) {
        return;
      }
      Matcher m = DIRECTIVE.matcher(line);
      if (!m.matches()) {
        directivesDone = true;
        return;
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (!key.equals("escape") && !key.equals("syntax") && !key.equals("check")) {
        directivesDone = true;
        return;
      }
      SourceRange here = SourceRange.line(currentLine + 1);
      if (!seenDirectives.add(key)) {
        throw error(here, "only one " + key + " parser directive can be used");
      }
      String value = m.group(2);
      switch (key) {
        case "escape" -> {
          if (!value.equals("`") && !value.equals("\\")) {
            throw error(
                here,
                "invalid escape token '" + value + "' does not match ` or \\; use one of them");
          }
          escape = value.charAt(0);
        }
        case "syntax" -> syntax = Optional.of(value);
        default -> check = Optional.of(value);
      }
    }

    /**
     * Removes a line-continuation escape: the escape token as the last non-blank character, not
     * itself escaped. Returns {text, null} at the end of an instruction, {text, ""} to continue.
     */
    private String[] trimContinuation(String line) {
      int end = line.length();
      while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
        end--;
      }
      if (end == 0 || line.charAt(end - 1) != escape) {
        return new String[] {line, null};
      }
      int at = end - 1;
      if (at > 0 && line.charAt(at - 1) == escape) {
        return new String[] {line, null};
      }
      return new String[] {line.substring(0, at), ""};
    }
  }
}
