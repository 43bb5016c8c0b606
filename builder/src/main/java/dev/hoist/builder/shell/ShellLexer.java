package dev.hoist.builder.shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Dockerfile shell-word lexer: quotes, escapes and variable substitution ({@code $V}, {@code
 * ${V}}, {@code ${V:-w}}, {@code ${V-w}}, {@code ${V:+w}}, {@code ${V+w}}, {@code ${V:?m}}, {@code
 * ${V?m}}, {@code ${V#p}}, {@code ${V##p}}, {@code ${V%p}}, {@code ${V%%p}}, {@code ${V/p/r}},
 * {@code ${V//p/r}}), then word splitting, with BuildKit's semantics. Immutable and thread-safe.
 *
 * @param escapeToken {@code \} or, after {@code # escape=`}, the backtick
 * @param rawQuotes keep quote characters in the result
 * @param rawEscapes keep escape characters in the result
 * @param skipProcessQuotes treat quotes as ordinary characters
 * @param skipUnsetEnv leave references to unset variables as written
 */
public record ShellLexer(
    int escapeToken,
    boolean rawQuotes,
    boolean rawEscapes,
    boolean skipProcessQuotes,
    boolean skipUnsetEnv) {

  /** A lexer with {@code escapeToken} and every option off. */
  public static ShellLexer of(int escapeToken) {
    return new ShellLexer(escapeToken, false, false, false, false);
  }

  public ShellLexer withRawQuotes(boolean on) {
    return new ShellLexer(escapeToken, on, rawEscapes, skipProcessQuotes, skipUnsetEnv);
  }

  public ShellLexer withRawEscapes(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, on, skipProcessQuotes, skipUnsetEnv);
  }

  public ShellLexer withSkipProcessQuotes(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, on, skipUnsetEnv);
  }

  public ShellLexer withSkipUnsetEnv(boolean on) {
    return new ShellLexer(escapeToken, rawQuotes, rawEscapes, skipProcessQuotes, on);
  }

  /** Expands {@code word} to one string (blanks between words kept). */
  public String processWord(String word, Variables env) throws ShellException {
    return process(word, env).result();
  }

  /** Expands {@code word} and splits the result into words. */
  public List<String> processWords(String word, Variables env) throws ShellException {
    return process(word, env).words();
  }

  /** Expands {@code word}, reporting which variables it referenced. */
  public Expansion process(String word, Variables env) throws ShellException {
    Objects.requireNonNull(word, "word");
    Objects.requireNonNull(env, "env");
    Run run = new Run(word, env);
    try {
      Result r = run.processStopOn(EOF, rawEscapes);
      return new Expansion(r.text, r.words, run.matched, run.unmatched);
    } catch (ShellException e) {
      throw new ShellException("failed to process \"" + word + "\": " + e.getMessage());
    }
  }

  private static final int EOF = -1;
  private static final int MAX_DEPTH = 200;

  private record Result(String text, List<String> words) {}

  /** Splits characters into words as they are added (BuildKit's wordsStruct). */
  private static final class Words {
    private final StringBuilder buf = new StringBuilder();
    private final List<String> words = new ArrayList<>();
    private boolean inWord;

    void addChar(int ch) {
      if (GoSpace.isSpace(ch) && inWord) {
        if (buf.length() != 0) {
          words.add(buf.toString());
          buf.setLength(0);
          inWord = false;
        }
      } else if (!GoSpace.isSpace(ch)) {
        addRawChar(ch);
      }
    }

    void addRawChar(int ch) {
      buf.appendCodePoint(ch);
      inWord = true;
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    void addRawString(String s) {
      buf.append(s);
      inWord = true;
    }

    List<String> get() {
      if (buf.length() > 0) {
        words.add(buf.toString());
        buf.setLength(0);
        inWord = false;
      }
      return words;
    }
  }

  /** One expansion: a cursor over the word's code points. */
  private final class Run {
    private final int[] cps;
    private int pos;
    private final Variables env;
    private boolean escapesRaw = rawEscapes;
    private int depth;
    final Set<String> matched = new LinkedHashSet<>();
    final Set<String> unmatched = new LinkedHashSet<>();

    Run(String word, Variables env) {
      this.cps = word.codePoints().toArray();
      this.env = env;
    }

    int peek() {
      return pos < cps.length ? cps[pos] : EOF;
    }

    int next() {
      return pos < cps.length ? cps[pos++] : EOF;
    }

    Result processStopOn(int stop, boolean raw) throws ShellException {
      // Nested ${...} recurse; bound the depth so that hostile input fails cleanly.
      if (++depth > MAX_DEPTH) {
        throw new ShellException("substitutions nested more than " + MAX_DEPTH + " deep");
      }
      boolean saved = escapesRaw;
      escapesRaw = raw;
      try {
        return stopOn(stop);
      } finally {
        escapesRaw = saved;
        depth--;
      }
    }

    private Result stopOn(int stop) throws ShellException {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != EOF) {
        int ch = peek();
        if (stop != EOF && ch == stop) {
          next();
          return new Result(result.toString(), words.get());
        }
        if (ch == '$') {
          String tmp = processDollar();
          result.append(tmp);
          words.addString(tmp);
        } else if (!skipProcessQuotes && (ch == '\'' || ch == '"')) {
          String tmp = ch == '\'' ? processSingleQuote() : processDoubleQuote();
          result.append(tmp);
          words.addRawString(tmp);
        } else {
          ch = next();
          if (ch == escapeToken) {
            if (escapesRaw) {
              words.addRawChar(ch);
              result.appendCodePoint(ch);
            }
            // The escape token escapes the next character, except at the end of the word.
            ch = next();
            if (ch == EOF) {
              break;
            }
            words.addRawChar(ch);
          } else {
            words.addChar(ch);
          }
          result.appendCodePoint(ch);
        }
      }
      if (stop != EOF) {
        throw new ShellException(
            "unexpected end of statement while looking for matching " + Character.toString(stop));
      }
      return new Result(result.toString(), words.get());
    }

    private String processSingleQuote() throws ShellException {
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        ch = next();
        if (ch == EOF) {
          throw new ShellException(
              "unexpected end of statement while looking for matching single-quote");
        }
        if (ch == '\'') {
          if (rawQuotes) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        result.appendCodePoint(ch);
      }
    }

    private String processDoubleQuote() throws ShellException {
      StringBuilder result = new StringBuilder();
      int ch = next();
      if (rawQuotes) {
        result.appendCodePoint(ch);
      }
      while (true) {
        int p = peek();
        if (p == EOF) {
          throw new ShellException(
              "unexpected end of statement while looking for matching double-quote");
        }
        if (p == '"') {
          ch = next();
          if (rawQuotes) {
            result.appendCodePoint(ch);
          }
          return result.toString();
        }
        if (p == '$') {
          result.append(processDollar());
          continue;
        }
        ch = next();
        if (ch == escapeToken) {
          if (escapesRaw) {
            result.appendCodePoint(ch);
          }
          int after = peek();
          if (after == EOF) {
            continue; // an escape at the very end is dropped
          }
          // Inside double quotes only ", $ and the escape token itself can be escaped.
          if (after == '"' || after == '$' || after == escapeToken) {
            ch = next();
          }
        }
        result.appendCodePoint(ch);
      }
    }

    private String processDollar() throws ShellException {
      next();
      if (peek() != '{') {
        String name = processName();
        if (name.isEmpty()) {
          return "$";
        }
        Optional<String> value = getEnv(name);
        if (value.isEmpty() && skipUnsetEnv) {
          return "$" + name;
        }
        return value.orElse("");
      }
      next();
      int p = peek();
      if (p == EOF) {
        throw new ShellException("syntax error: missing '}'");
      }
      if (p == '{' || p == '}' || p == ':') {
        throw new ShellException("syntax error: bad substitution");
      }
      String name = processName();
      int ch = next();
      String chs = ch == EOF ? "" : Character.toString(ch);
      boolean nullIsUnset = false;
      switch (ch) {
        case '}' -> {
          Optional<String> value = getEnv(name);
          if (value.isEmpty() && skipUnsetEnv) {
            return "${" + name + "}";
          }
          return value.orElse("");
        }
        case ':', '+', '-', '?', '#', '%' -> {
          if (ch == ':') {
            nullIsUnset = true;
            ch = next();
            chs += ch == EOF ? "" : Character.toString(ch);
          }
          boolean patternOp = ch == '#' || ch == '%';
          if (nullIsUnset && patternOp) {
            throw new ShellException("unsupported modifier (" + chs + ") in substitution");
          }
          String word = wordUntilBrace(patternOp);
          Optional<String> found = getEnv(name);
          if (skipUnsetEnv && found.isEmpty()) {
            return "${" + name + chs + word + "}";
          }
          boolean empty = found.isEmpty() || (nullIsUnset && found.get().isEmpty());
          switch (ch) {
            case '-':
              return empty ? word : found.get();
            case '+':
              return empty ? "" : word;
            case '?':
              if (found.isEmpty()) {
                throw new ShellException(
                    name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
              }
              if (nullIsUnset && found.get().isEmpty()) {
                throw new ShellException(
                    name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
              }
              return found.get();
            case '%':
            case '#':
              {
                boolean greedy = !word.isEmpty() && word.codePointAt(0) == ch;
                String pattern = greedy ? word.substring(1) : word;
                String value = found.orElse("");
                return ch == '%'
                    ? ShellPatterns.trimSuffix(pattern, value, greedy)
                    : ShellPatterns.trimPrefix(pattern, value, greedy);
              }
            default:
              throw new ShellException("unsupported modifier (" + chs + ") in substitution");
          }
        }
        case '/' -> {
          boolean all = peek() == '/';
          if (all) {
            next();
          }
          String pattern;
          try {
            pattern = processStopOn('/', true).text;
          } catch (ShellException e) {
            if (peek() == EOF) {
              throw new ShellException("syntax error: missing '/' in ${}");
            }
            throw e;
          }
          String replacement = wordUntilBrace(true);
          Optional<String> found = getEnv(name);
          if (skipUnsetEnv && found.isEmpty()) {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
          }
          try {
            return ShellPatterns.replace(found.orElse(""), pattern, replacement, all);
          } catch (ShellException e) {
            throw new ShellException(
                "invalid pattern (" + pattern + ") in substitution: " + e.getMessage());
          }
        }
        default -> throw new ShellException("unsupported modifier (" + chs + ") in substitution");
      }
    }

    private String wordUntilBrace(boolean raw) throws ShellException {
      try {
        return processStopOn('}', raw).text;
      } catch (ShellException e) {
        if (peek() == EOF) {
          throw new ShellException("syntax error: missing '}'");
        }
        throw e;
      }
    }

    private String processName() {
      StringBuilder name = new StringBuilder();
      while (peek() != EOF) {
        int ch = peek();
        if (name.length() == 0 && Character.isDigit(ch)) {
          while (peek() != EOF && Character.isDigit(peek())) {
            name.appendCodePoint(next());
          }
          return name.toString();
        }
        if (name.length() == 0 && isSpecialParam(ch)) {
          return Character.toString(next());
        }
        if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
          break;
        }
        name.appendCodePoint(next());
      }
      return name.toString();
    }

    private Optional<String> getEnv(String name) {
      Optional<String> v = env.lookup(name);
      (v.isPresent() ? matched : unmatched).add(name);
      return v;
    }
  }

  private static boolean isSpecialParam(int ch) {
    return switch (ch) {
      case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
      default -> false;
    };
  }
}
