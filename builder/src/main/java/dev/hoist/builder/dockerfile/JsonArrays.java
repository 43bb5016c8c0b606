package dev.hoist.builder.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the exec form {@code ["a", "b"]} as BuildKit's parser does, with one Go {@code
 * json.Decoder.Decode}: the text must start with one valid JSON array, and whatever follows its
 * closing bracket is never read ({@code CMD ["a"] # note} is exec form); text that is not valid
 * JSON up to that bracket is not exec form.
 */
final class JsonArrays {
  /** Valid JSON, but an element is not a string: BuildKit refuses this rather than falling back. */
  static final class NotStringArray extends Exception {
    private static final long serialVersionUID = 1L;

    NotStringArray() {
      super("when using JSON array syntax, arrays must be comprised of strings only");
    }
  }

  private static final Object NON_STRING = new Object();

  private final String s;
  private int pos;

  private JsonArrays(String s) {
    this.s = s;
  }

  /**
   * The strings of the array {@code text} starts with, or empty when it does not start with one.
   *
   * @throws NotStringArray when it is valid JSON with an element that is not a string
   */
  static Optional<List<String>> parse(String text) throws NotStringArray {
    JsonArrays p = new JsonArrays(text);
    List<Object> items;
    try {
      p.ws();
      items = p.array(0);
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>(items.size());
    for (Object o : items) {
      if (!(o instanceof String str)) {
        throw new NotStringArray();
      }
      out.add(str);
    }
    return Optional.of(out);
  }

  private IllegalStateException bad() {
    return new IllegalStateException();
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    if (pos >= s.length()) {
      throw bad();
    }
    return s.charAt(pos);
  }

  private List<Object> array(int depth) {
    if (depth > 1000) {
      throw bad(); // Go's decoder also limits nesting
    }
    expect('[');
    List<Object> items = new ArrayList<>();
    ws();
    if (peek() == ']') {
      pos++;
      return items;
    }
    while (true) {
      ws();
      items.add(value(depth));
      ws();
      char c = peek();
      pos++;
      if (c == ']') {
        return items;
      }
      if (c != ',') {
        throw bad();
      }
    }
  }

  private Object value(int depth) {
    char c = peek();
    switch (c) {
      case '"':
        return string();
      case '[':
        array(depth + 1);
        return NON_STRING;
      case '{':
        object(depth + 1);
        return NON_STRING;
      case 't':
        literal("true");
        return NON_STRING;
      case 'f':
        literal("false");
        return NON_STRING;
      case 'n':
        literal("null");
        return NON_STRING;
      default:
        number();
        return NON_STRING;
    }
  }

  private void object(int depth) {
    if (depth > 1000) {
      throw bad();
    }
    expect('{');
    ws();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      ws();
      string();
      ws();
      expect(':');
      ws();
      value(depth);
      ws();
      char c = peek();
      pos++;
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw bad();
      }
    }
  }

  private void literal(String word) {
    if (!s.startsWith(word, pos)) {
      throw bad();
    }
    pos += word.length();
  }

  private void number() {
    int start = pos;
    if (pos < s.length() && s.charAt(pos) == '-') {
      pos++;
    }
    if (pos < s.length() && s.charAt(pos) == '0') {
      pos++;
    } else {
      digits();
    }
    if (pos < s.length() && s.charAt(pos) == '.') {
      pos++;
      digits();
    }
    if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
      pos++;
      if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
        pos++;
      }
      digits();
    }
    if (pos == start) {
      throw bad();
    }
  }

  private void digits() {
    int start = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw bad();
    }
  }

  private void expect(char c) {
    if (peek() != c) {
      throw bad();
    }
    pos++;
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = peek();
      pos++;
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw bad();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = peek();
      pos++;
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(unicodeEscape());
        default -> throw bad();
      }
    }
  }

  /** {@code \\uXXXX}, combining surrogate pairs; a lone surrogate becomes U+FFFD as in Go. */
  private String unicodeEscape() {
    char hi = hex4();
    if (!Character.isSurrogate(hi)) {
      return Character.toString(hi);
    }
    if (Character.isHighSurrogate(hi) && s.startsWith("\\u", pos)) {
      int save = pos;
      pos += 2;
      char lo = hex4();
      if (Character.isLowSurrogate(lo)) {
        return new String(new char[] {hi, lo});
      }
      pos = save;
    }
    return "\uFFFD";
  }

  private char hex4() {
    if (pos + 4 > s.length()) {
      throw bad();
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(s.charAt(pos + i), 16);
      if (d < 0 || s.charAt(pos + i) > 'f') {
        throw bad();
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }
}
