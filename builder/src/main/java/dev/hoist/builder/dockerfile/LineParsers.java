package dev.hoist.builder.dockerfile;

import dev.hoist.builder.shell.GoSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How each instruction splits its arguments in the parse tree (BuildKit's line parsers). The
 * meaning of the words is given later, by the instructions layer.
 */
final class LineParsers {
  /** BuildKit's {@code [\t\v\f\r ]+}: the blanks that separate words in the parse tree. */
  static final Pattern BLANKS = Pattern.compile("[\\t\\x0B\\f\\r ]+");

  private LineParsers() {}

  /** The parsed arguments of one instruction. */
  record Args(List<String> values, boolean json, Optional<Node> child) {
    static final Args NONE = new Args(List.of(), false, Optional.empty());

    static Args of(List<String> values) {
      return new Args(values, false, Optional.empty());
    }
  }

  /** A line parser failed; the parser adds the location. */
  static final class LineException extends Exception {
    private static final long serialVersionUID = 1L;

    LineException(String message) {
      super(message);
    }
  }

  /** A sub-instruction parser, for ONBUILD. */
  @FunctionalInterface
  interface SubParser {
    Node parse(String line) throws LineException;
  }

  static Args parse(String command, String rest, int escape, SubParser sub) throws LineException {
    return switch (command) {
      case "add", "copy", "volume" -> maybeJsonToList(rest);
      case "arg" -> Args.of(words(rest, escape));
      case "cmd", "entrypoint", "run", "shell" -> maybeJson(rest);
      case "env" -> nameVal(rest, "ENV", escape);
      case "label" -> nameVal(rest, "LABEL", escape);
      case "expose", "from" -> whitespaceDelimited(rest);
      case "healthcheck" -> healthConfig(rest);
      case "maintainer", "stopsignal", "user", "workdir" ->
          rest.isEmpty() ? Args.NONE : Args.of(List.of(rest));
      case "onbuild" ->
          rest.isEmpty() ? Args.NONE : new Args(List.of(), false, Optional.of(sub.parse(rest)));
      default -> Args.of(List.of("")); // unknown instructions keep one empty argument
    };
  }

  static Args whitespaceDelimited(String rest) {
    if (rest.isEmpty()) {
      return Args.NONE;
    }
    return Args.of(List.of(BLANKS.split(rest, -1)));
  }

  static Args maybeJson(String rest) throws LineException {
    if (rest.isEmpty()) {
      return Args.NONE;
    }
    Optional<List<String>> json = json(rest);
    return json.map(v -> new Args(v, true, Optional.empty())).orElse(Args.of(List.of(rest)));
  }

  static Args maybeJsonToList(String rest) throws LineException {
    Optional<List<String>> json = json(rest);
    if (json.isPresent()) {
      return new Args(json.get(), true, Optional.empty());
    }
    return whitespaceDelimited(rest);
  }

  private static Optional<List<String>> json(String rest) throws LineException {
    String trimmed = GoSpace.trimLeft(rest);
    if (!trimmed.startsWith("[")) {
      return Optional.empty();
    }
    try {
      return JsonArrays.parse(trimmed);
    } catch (JsonArrays.NotStringArray e) {
      throw new LineException(e.getMessage());
    }
  }

  /** HEALTHCHECK: a type word (CMD, NONE, ...) then the command, JSON or not. */
  static Args healthConfig(String rest) throws LineException {
    int sep = 0;
    while (sep < rest.length() && !GoSpace.isSpace(rest.charAt(sep))) {
      sep++;
    }
    if (sep == 0) {
      return Args.NONE;
    }
    int next = sep;
    while (next < rest.length() && GoSpace.isSpace(rest.charAt(next))) {
      next++;
    }
    Args cmd = maybeJson(rest.substring(next));
    List<String> values = new ArrayList<>();
    values.add(rest.substring(0, sep));
    values.addAll(cmd.values());
    return new Args(values, cmd.json(), Optional.empty());
  }

  /**
   * ENV and LABEL: {@code key=value ...} gives (key, value, "=") triples; the legacy {@code key
   * value words} gives one (key, rest-of-line, "") triple.
   */
  static Args nameVal(String rest, String instruction, int escape) throws LineException {
    List<String> words = words(rest, escape);
    if (words.isEmpty()) {
      return Args.NONE;
    }
    if (!words.get(0).contains("=")) {
      String[] parts = BLANKS.split(rest, 2);
      if (parts.length < 2) {
        throw new LineException(instruction + " must have two arguments");
      }
      return Args.of(List.of(parts[0], parts[1], ""));
    }
    List<String> out = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new LineException(
            "Syntax error - can't find = in "
                + GoQuote.quote(word)
                + ". Must be of the form: name=value");
      }
      out.add(word.substring(0, eq));
      out.add(word.substring(eq + 1));
      out.add("=");
    }
    return Args.of(out);
  }

  /**
   * Splits on blanks, but quotes group words; quotes and escapes stay in the words (they are
   * removed when the words are expanded).
   */
  static List<String> words(String rest, int escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    int quote = 0;
    boolean inQuote = false;
    int[] cps = rest.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int ch = cps[i];
      if (!inWord && !inQuote) {
        if (GoSpace.isSpace(ch)) {
          continue;
        }
        inWord = true;
      }
      if (inQuote) {
        if (ch == quote) {
          inQuote = false;
          inWord = true;
        }
        // The escape token works inside double quotes only.
        if (ch == escape && quote != '\'') {
          if (i + 1 == cps.length) {
            inQuote = false;
            inWord = true;
            continue;
          }
          word.appendCodePoint(ch);
          ch = cps[++i];
        }
        word.appendCodePoint(ch);
        continue;
      }
      if (GoSpace.isSpace(ch)) {
        inWord = false;
        if (blankOk || word.length() > 0) {
          words.add(word.toString());
        }
        word.setLength(0);
        blankOk = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOk = true;
        inQuote = true;
        inWord = false;
      }
      if (ch == escape) {
        if (i + 1 == cps.length) {
          continue; // an escape at the end of the line is dropped
        }
        word.appendCodePoint(ch);
        ch = cps[++i];
      }
      word.appendCodePoint(ch);
    }
    if ((inWord || inQuote) && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }

  /** The command word, its leading flags and the rest of an instruction line. */
  record Split(String keyword, List<String> flags, String rest) {}

  static Split splitCommand(String line) {
    String trimmed = GoSpace.trim(line);
    String[] cmdline = BLANKS.split(trimmed, 2);
    if (cmdline.length < 2) {
      return new Split(cmdline[0], List.of(), "");
    }
    List<String> flags = new ArrayList<>();
    String rest = extractFlags(cmdline[1], flags);
    return new Split(cmdline[0], flags, GoSpace.trim(rest));
  }

  /**
   * Takes the leading {@code --flag} words off {@code line} into {@code flags} (quotes and
   * backslash escapes removed; a bare {@code --} ends them) and returns what follows.
   */
  static String extractFlags(String line, List<String> flags) {
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean inQuote = false;
    boolean blankOk = false;
    char quote = 0;
    int n = line.length();
    for (int pos = 0; pos <= n; pos++) {
      char ch = pos < n ? line.charAt(pos) : 0;
      if (!inWord && !inQuote) {
        if (pos == n) {
          break;
        }
        if (GoSpace.isSpace(ch)) {
          continue;
        }
        if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
          return line.substring(pos);
        }
        inWord = true;
      }
      if (pos == n) {
        if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
          flags.add(word.toString());
        }
        break;
      }
      if (inWord) {
        if (GoSpace.isSpace(ch)) {
          inWord = false;
          if (word.toString().equals("--")) {
            return line.substring(pos);
          }
          if (blankOk || word.length() > 0) {
            flags.add(word.toString());
          }
          word.setLength(0);
          blankOk = false;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          quote = ch;
          blankOk = true;
          inWord = false;
          inQuote = true;
          continue;
        }
        if (ch == '\\') {
          if (pos + 1 == n) {
            continue;
          }
          ch = line.charAt(++pos);
        }
        word.append(ch);
        continue;
      }
      // in a quote
      if (ch == quote) {
        inQuote = false;
        inWord = true;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == n) {
          inQuote = false;
          inWord = true;
          continue;
        }
        ch = line.charAt(++pos);
      }
      word.append(ch);
    }
    return "";
  }
}
