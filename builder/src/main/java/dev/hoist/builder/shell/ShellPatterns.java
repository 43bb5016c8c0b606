package dev.hoist.builder.shell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell patterns of {@code ${V#p}}, {@code ${V%p}} and {@code ${V/p/r}}: {@code *} any string,
 * {@code ?} one character, {@code \} escapes {@code *}, {@code ?} and itself; no bracket
 * expressions (as in BuildKit).
 */
final class ShellPatterns {
  private ShellPatterns() {}

  static Pattern toRegex(String pattern, boolean greedy, boolean anchored) throws ShellException {
    StringBuilder out = new StringBuilder(pattern.length() + 4);
    if (anchored) {
      out.append('^');
    }
    String star = greedy ? ".*" : ".*?";
    int[] cps = pattern.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      switch (c) {
        case '*' -> out.append(star);
        case '?' -> out.append('.');
        case '\\' -> {
          int next = i + 1 < cps.length ? cps[i + 1] : -1;
          // \} and \/ were needed to write the pattern inside ${}; they are not part of it.
          if (next == '}' || next == '/') {
            continue;
          }
          if (next != '*' && next != '?' && next != '\\') {
            throw new ShellException(
                "invalid escape '\\" + (next < 0 ? "" : Character.toString(next)) + "'");
          }
          out.append('\\').appendCodePoint(next);
          i++;
        }
        case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' ->
            out.append('\\').appendCodePoint(c);
        default -> {
          if (Character.isLetterOrDigit(c) || c == ' ' || c == '_' || c == '/' || c == '-') {
            out.appendCodePoint(c);
          } else {
            out.append(Pattern.quote(Character.toString(c)));
          }
        }
      }
    }
    // UNIX_LINES: '.' excludes only \n, as in Go's RE2.
    return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
  }

  static String trimPrefix(String pattern, String value, boolean greedy) throws ShellException {
    Matcher m = toRegex(pattern, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  /**
   * Removes the shortest (or longest) suffix matching {@code pattern}. Regular expressions find
   * leftmost matches, so both the pattern and the value are reversed.
   */
  static String trimSuffix(String pattern, String value, boolean greedy) throws ShellException {
    String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
    return reverse(reversed);
  }

  /** Reverses a pattern but keeps each escape before the character it escapes. */
  static String reversePattern(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int at = last - i;
      if (in[i] == '\\' && i != last) {
        out[at - 1] = in[i];
        out[at] = in[i + 1];
        i += 2;
      } else {
        out[at] = in[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  private static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    for (int i = 0, j = cps.length - 1; i < j; i++, j--) {
      int t = cps[i];
      cps[i] = cps[j];
      cps[j] = t;
    }
    return new String(cps, 0, cps.length);
  }

  /** Replaces the first (or every) match, expanding the replacement as Go's regexp does. */
  static String replace(String value, String pattern, String replacement, boolean all)
      throws ShellException {
    Matcher m = toRegex(pattern, true, false).matcher(value);
    if (!all) {
      return m.find()
          ? value.substring(0, m.start()) + replacement + value.substring(m.end())
          : value;
    }
    String expanded = goTemplate(replacement);
    StringBuilder out = new StringBuilder();
    int from = 0;
    int lastMatchEnd = -1;
    while (m.find()) {
      // Go skips an empty match right after a non-empty one.
      if (m.start() == m.end() && m.start() == lastMatchEnd) {
        continue;
      }
      out.append(value, from, m.start()).append(expanded);
      from = m.end();
      lastMatchEnd = m.end();
    }
    return out.append(value.substring(from)).toString();
  }

  /**
   * Go's {@code Regexp.Expand} for a regex without groups: {@code $$} is {@code $}, {@code $name}
   * and {@code ${name}} are empty, a lone {@code $} stays.
   */
  private static String goTemplate(String template) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i++;
      } else if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close > i + 2 && isName(template.substring(i + 2, close))) {
          i = close;
        } else {
          out.append(c);
        }
      } else if (Character.isLetterOrDigit(n) || n == '_') {
        int j = i + 1;
        while (j < template.length()
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        i = j - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isName(String s) {
    return s.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_');
  }
}
