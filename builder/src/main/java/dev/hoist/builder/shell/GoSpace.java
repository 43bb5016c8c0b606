package dev.hoist.builder.shell;

/** Go's {@code unicode.IsSpace}, which BuildKit uses everywhere it splits on blanks. */
public final class GoSpace {
  private GoSpace() {}

  /** Whether {@code cp} is white space as Go defines it (Java's own definitions differ). */
  public static boolean isSpace(int cp) {
    if (cp <= 0xFF) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0;
    }
    return Character.isSpaceChar(cp);
  }

  /** {@code s} without leading Go white space. */
  public static String trimLeft(String s) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (!isSpace(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return s.substring(i);
  }

  /** {@code s} without trailing Go white space. */
  public static String trimRight(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(0, end);
  }

  /** {@code s} without leading and trailing Go white space ({@code strings.TrimSpace}). */
  public static String trim(String s) {
    return trimRight(trimLeft(s));
  }
}
