package dev.hoist.builder.dockerfile;

/** Go's {@code strconv.Quote}, needed to print BuildKit's AST dump byte for byte. */
public final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                  if (cp < ' ' || cp == 0x7f) {
                    out.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
                  } else if (isPrint(cp)) {
                    out.appendCodePoint(cp);
                  } else if (cp < 0x10000) {
                    out.append("\\u").append(hex(cp, 4));
                  } else {
                    out.append("\\U").append(hex(cp, 8));
                  }
                }
              }
            });
    return out.append('"').toString();
  }

  /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
  public static String quoteList(Iterable<String> items) {
    StringBuilder out = new StringBuilder("[");
    for (String s : items) {
      if (out.length() > 1) {
        out.append(' ');
      }
      out.append(quote(s));
    }
    return out.append(']').toString();
  }

  private static String hex(int cp, int width) {
    StringBuilder h = new StringBuilder(Integer.toHexString(cp));
    while (h.length() < width) {
      h.insert(0, '0');
    }
    return h.toString();
  }

  /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ' '. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
              Character.LOWERCASE_LETTER,
              Character.TITLECASE_LETTER,
              Character.MODIFIER_LETTER,
              Character.OTHER_LETTER,
              Character.NON_SPACING_MARK,
              Character.ENCLOSING_MARK,
              Character.COMBINING_SPACING_MARK,
              Character.DECIMAL_DIGIT_NUMBER,
              Character.LETTER_NUMBER,
              Character.OTHER_NUMBER,
              Character.CONNECTOR_PUNCTUATION,
              Character.DASH_PUNCTUATION,
              Character.START_PUNCTUATION,
              Character.END_PUNCTUATION,
              Character.INITIAL_QUOTE_PUNCTUATION,
              Character.FINAL_QUOTE_PUNCTUATION,
              Character.OTHER_PUNCTUATION,
              Character.MATH_SYMBOL,
              Character.CURRENCY_SYMBOL,
              Character.MODIFIER_SYMBOL,
              Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }
}
