package dev.hoist.builder.copy;

import java.util.regex.Pattern;

/**
 * One path component pattern with Go's {@code filepath.Match} rules, which COPY sources use: {@code
 * *} any run of characters, {@code ?} one character, {@code [...]} a class ({@code [^...]} negated,
 * {@code a-z} ranges), {@code \} escapes the next character.
 */
final class GoGlob {
  private final Pattern regex;

  private GoGlob(Pattern regex) {
    this.regex = regex;
  }

  /** Whether {@code component} holds an unescaped {@code *}, {@code ?} or {@code [}. */
  static boolean hasWildcards(String component) {
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[') {
        return true;
      }
    }
    return false;
  }

  /** {@code component} with its escapes removed, for a component without wildcards. */
  static String unescape(String component) {
    StringBuilder sb = new StringBuilder(component.length());
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '\\' && i + 1 < component.length()) {
        c = component.charAt(++i);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Compiles one component pattern.
   *
   * @throws IllegalArgumentException when Go would return {@code ErrBadPattern}
   */
  static GoGlob compile(String pattern) {
    StringBuilder re = new StringBuilder();
    int[] cps = pattern.codePoints().toArray();
    int i = 0;
    while (i < cps.length) {
      int c = cps[i++];
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (i >= cps.length) {
            throw bad(pattern);
          }
          literal(re, cps[i++]);
        }
        case '[' -> i = appendClass(re, cps, i, pattern);
        default -> literal(re, c);
      }
    }
    return new GoGlob(Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  private static int appendClass(StringBuilder re, int[] cps, int i, String pattern) {
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
      int[] lo = classChar(cps, i, pattern);
      i = lo[1];
      literal(re, lo[0]);
      if (i < cps.length && cps[i] == '-') {
        int[] hi = classChar(cps, i + 1, pattern);
        if (hi[0] < lo[0]) {
          throw bad(pattern);
        }
        i = hi[1];
        re.append('-');
        literal(re, hi[0]);
      }
      ranges++;
    }
  }

  private static int[] classChar(int[] cps, int i, String pattern) {
    if (i >= cps.length || cps[i] == '-' || cps[i] == ']') {
      throw bad(pattern);
    }
    if (cps[i] == '\\') {
      i++;
      if (i >= cps.length) {
        throw bad(pattern);
      }
    }
    int ch = cps[i++];
    if (i >= cps.length) {
      throw bad(pattern); // an unterminated class
    }
    return new int[] {ch, i};
  }

  private static void literal(StringBuilder re, int ch) {
    if (ch < 0x80 && !Character.isLetterOrDigit(ch)) {
      re.append('\\');
    }
    re.appendCodePoint(ch);
  }

  private static IllegalArgumentException bad(String pattern) {
    return new IllegalArgumentException("syntax error in pattern \"" + pattern + "\"");
  }
}
