package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.List;

/** Quoting for the generated set-up scripts (run by the host's /bin/sh) and fstab files. */
final class Shell {
  private Shell() {}

  /** {@code text} as one single-quoted sh word. */
  static String quote(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL byte in a step argument or path");
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }

  static String quote(Path path) {
    return quote(path.toString());
  }

  /** Words quoted and joined with spaces. */
  static String words(List<String> words) {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(quote(w));
    }
    return sb.toString();
  }

  /** A path or option as one fstab field: space, tab, newline and backslash octal-escaped. */
  static String fstabField(String text) {
    StringBuilder sb = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case ' ' -> sb.append("\\040");
        case '\t' -> sb.append("\\011");
        case '\n' -> sb.append("\\012");
        case '\\' -> sb.append("\\134");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
