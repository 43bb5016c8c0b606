package dev.hoist.builder.context;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code .dockerignore} pattern with Docker's matching rules (moby/patternmatcher): {@code *}
 * and {@code ?} stop at {@code /}, {@code **} spans directories, {@code [...]} classes, {@code \}
 * escapes, a leading {@code !} makes an exception.
 */
public final class IgnorePattern {
  private enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEX
  }

  private final String cleaned;
  private final boolean exclusion;
  private final List<String> dirs;
  private final Kind kind;
  private final Pattern regex;

  private IgnorePattern(String cleaned, boolean exclusion, Kind kind, Pattern regex) {
    this.cleaned = cleaned;
    this.exclusion = exclusion;
    this.dirs = Arrays.asList(cleaned.split("/", -1));
    this.kind = kind;
    this.regex = regex;
  }

  /**
   * Compiles one pattern; blanks around it are ignored.
   *
   * @throws IllegalArgumentException for a malformed pattern ({@code [}, {@code [a-}, a lone {@code
   *     \} or {@code !}), naming it
   */
  public static IgnorePattern compile(String text) {
    Objects.requireNonNull(text, "pattern");
    String p = GoPaths.clean(text.strip());
    boolean exclusion = false;
    if (p.startsWith("!")) {
      if (p.length() == 1) {
        throw new IllegalArgumentException(
            "illegal exclusion pattern: \"!\"; write !PATTERN to re-include files");
      }
      exclusion = true;
      p = p.substring(1);
    }
    try {
      return translate(p, exclusion);
    } catch (PatternSyntaxException | IndexOutOfBoundsException e) {
      throw bad(text);
    }
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "syntax error in pattern '" + text + "': check its [...] classes and \\ escapes");
  }

  public boolean exclusion() {
    return exclusion;
  }

  /** The pattern after path cleaning, without its {@code !}. */
  public String pattern() {
    return cleaned;
  }

  /** Number of path segments in the pattern. */
  int depth() {
    return dirs.size();
  }

  /** Whether {@code path} (slash-separated, relative to the context) matches itself. */
  public boolean matches(String path) {
    return switch (kind) {
      case EXACT -> path.equals(cleaned);
      case PREFIX -> path.startsWith(cleaned.substring(0, cleaned.length() - 2));
      case SUFFIX -> {
        String suffix = cleaned.substring(2);
        yield path.endsWith(suffix)
            || (!suffix.isEmpty() && suffix.charAt(0) == '/' && path.equals(suffix.substring(1)));
      }
      case REGEX -> regex.matcher(path).matches();
    };
  }

  private static IgnorePattern translate(String p, boolean exclusion) {
    StringBuilder re = new StringBuilder("^");
    Kind kind = Kind.EXACT;
    int[] cps = p.codePoints().toArray();
    int n = cps.length;
    for (int i = 0, step = 0; i < n; step++) {
      int ch = cps[i++];
      if (ch == '*') {
        if (i < n && cps[i] == '*') {
          i++;
          if (i < n && cps[i] == '/') {
            i++; // "**/" is "**"
          }
          if (i >= n) {
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              re.append(".*");
              kind = Kind.REGEX;
            }
          } else {
            re.append("(.*/)?");
            kind = Kind.REGEX;
          }
          if (step == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          kind = Kind.REGEX;
        }
      } else if (ch == '?') {
        re.append("[^/]");
        kind = Kind.REGEX;
      } else if (ch == '\\') {
        if (i >= n) {
          throw new PatternSyntaxException("trailing escape", p, i); // as filepath.Match
        }
        appendLiteral(re, cps[i++]);
        kind = Kind.REGEX;
      } else if (ch == '[') {
        i = appendClass(re, cps, i);
        kind = Kind.REGEX;
      } else {
        appendLiteral(re, ch);
      }
    }
    if (kind != Kind.REGEX) {
      return new IgnorePattern(p, exclusion, kind, null);
    }
    // UNIX_LINES: '.' matches everything but '\n', as in Go.
    Pattern regex = Pattern.compile(re.append('$').toString(), Pattern.UNIX_LINES);
    return new IgnorePattern(p, exclusion, kind, regex);
  }

  private static void appendLiteral(StringBuilder re, int ch) {
    if (ch < 0x80 && !Character.isLetterOrDigit(ch)) {
      re.append('\\');
    }
    re.appendCodePoint(ch);
  }

  /**
   * Appends the class that starts after {@code [} at {@code i}, validating it as Go's {@code
   * filepath.Match} does; returns the index after {@code ]}.
   */
  private static int appendClass(StringBuilder re, int[] cps, int i) {
    re.append('[');
    if (i < cps.length && cps[i] == '^') {
      re.append('^');
      i++;
    }
    int ranges = 0;
    while (true) {
      if (i < cps.length && cps[i] == ']' && ranges > 0) {
        re.append(']');
        return i + 1;
      }
      int[] lo = classChar(cps, i);
      i = lo[1];
      appendLiteral(re, lo[0]);
      if (cps[i] == '-') {
        int[] hi = classChar(cps, i + 1);
        i = hi[1];
        re.append('-');
        appendLiteral(re, hi[0]);
      }
      ranges++;
    }
  }

  /** Go's getEsc: one possibly escaped class character, which must not end the pattern. */
  private static int[] classChar(int[] cps, int i) {
    if (i >= cps.length || cps[i] == '-' || cps[i] == ']') {
      throw new PatternSyntaxException("bad class", "", i);
    }
    if (cps[i] == '\\') {
      i++;
      if (i >= cps.length) {
        throw new PatternSyntaxException("bad class", "", i);
      }
    }
    int ch = cps[i++];
    if (i >= cps.length) {
      throw new PatternSyntaxException("unterminated class", "", i);
    }
    return new int[] {ch, i};
  }

  @Override
  public String toString() {
    return (exclusion ? "!" : "") + cleaned;
  }
}
