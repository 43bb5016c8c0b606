package dev.hoist.builder.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * A rough split of a RUN script into simple commands, enough for lint rules: quotes group words
 * (and are removed), backslash escapes, and the operators {@code && || ; | & ( )} and newlines end
 * a command. Variables are left as written.
 */
final class ShellScript {
  /**
   * One simple command.
   *
   * @param words its words, leading {@code NAME=value} assignments removed
   * @param pipedFrom whether a {@code |} precedes it (it reads the previous command's output)
   */
  record Command(List<String> words, boolean pipedFrom) {
    String program() {
      return words.isEmpty() ? "" : basename(words.get(0));
    }

    /** The words after the program (and after {@code sudo} and its options). */
    List<String> args() {
      return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }

    boolean has(String word) {
      return words.contains(word);
    }
  }

  private ShellScript() {}

  static String basename(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  static List<Command> parse(String script) {
    List<Command> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean piped = false;
    int n = script.length();
    for (int i = 0; i < n; i++) {
      char c = script.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char next = script.charAt(++i);
        if (next != '\n') {
          word.append(next);
          inWord = true;
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        int close = script.indexOf(c, i + 1);
        if (close < 0) {
          close = n;
        }
        word.append(script, i + 1, close);
        inWord = true;
        i = close;
        continue;
      }
      if (c == '#' && !inWord) {
        int nl = script.indexOf('\n', i);
        i = (nl < 0 ? n : nl) - 1;
        continue;
      }
      boolean operator = c == '&' || c == '|' || c == ';' || c == '\n' || c == '(' || c == ')';
      if (operator || Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (operator) {
          boolean pipe = c == '|' && (i + 1 >= n || script.charAt(i + 1) != '|');
          if (c == '|' && !pipe) {
            i++;
          } else if (c == '&' && i + 1 < n && script.charAt(i + 1) == '&') {
            i++;
          } else if (c == '&' && i > 0 && script.charAt(i - 1) == '>') {
            continue; // >& redirection, not an operator
          }
          add(out, words, piped);
          words = new ArrayList<>();
          piped = pipe;
        }
        continue;
      }
      word.append(c);
      inWord = true;
    }
    if (inWord) {
      words.add(word.toString());
    }
    add(out, words, piped);
    return out;
  }

  private static void add(List<Command> out, List<String> words, boolean piped) {
    int start = 0;
    while (start < words.size() && words.get(start).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
      start++;
    }
    List<String> rest = words.subList(start, words.size());
    if (!rest.isEmpty()) {
      out.add(new Command(List.copyOf(rest), piped));
    }
  }
}
