package dev.hoist.builder.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code --chmod} value. An octal mode ({@code 0755}) replaces the permission bits of everything
 * copied; a symbolic one ({@code u+x,go-w}, {@code a=rX}, {@code g=u}) changes each file's own bits
 * as chmod(1) does, which the Dockerfile frontend accepts since 1.14. As in BuildKit (whose parser
 * follows BSD's setmode with a zero umask), a clause without a "who" applies to all of user, group
 * and others.
 */
final class ModeChange {
  private static final int USER = 04700;
  private static final int GROUP = 02070;
  private static final int OTHER = 01007;
  private static final int ALL = USER | GROUP | OTHER;

  private final Optional<Integer> octal;
  private final List<Clause> clauses;

  private ModeChange(Optional<Integer> octal, List<Clause> clauses) {
    this.octal = octal;
    this.clauses = clauses;
  }

  /**
   * Parses a --chmod value.
   *
   * @throws IllegalArgumentException with the reason, when {@code text} is neither form
   */
  static ModeChange parse(String text) {
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '7')) {
      int mode = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text, 8);
      if (mode > 07777) {
        throw new IllegalArgumentException("the mode is above 07777");
      }
      return new ModeChange(Optional.of(mode), List.of());
    }
    List<Clause> clauses = new ArrayList<>();
    for (String clause : text.split(",", -1)) {
      clauses.add(Clause.parse(clause));
    }
    return new ModeChange(Optional.empty(), List.copyOf(clauses));
  }

  /** Whether the result ignores a file's own bits (an octal mode), so they need not be read. */
  boolean replacesMode() {
    return octal.isPresent();
  }

  /**
   * The permission bits (with setuid, setgid, sticky) of a file whose own bits are {@code mode}.
   */
  int apply(int mode, boolean directory) {
    if (octal.isPresent()) {
      return octal.get();
    }
    int m = mode & 07777;
    for (Clause c : clauses) {
      m = c.apply(m, directory);
    }
    return m;
  }

  private record Action(char op, String perms, Optional<Character> copyFrom) {}

  private record Clause(int who, List<Action> actions) {
    static Clause parse(String text) {
      int i = 0;
      int who = 0;
      for (; i < text.length() && "ugoa".indexOf(text.charAt(i)) >= 0; i++) {
        who |=
            switch (text.charAt(i)) {
              case 'u' -> USER;
              case 'g' -> GROUP;
              case 'o' -> OTHER;
              default -> ALL;
            };
      }
      List<Action> actions = new ArrayList<>();
      while (i < text.length()) {
        char op = text.charAt(i++);
        if ("+-=".indexOf(op) < 0) {
          throw invalid(text);
        }
        int start = i;
        if (i < text.length() && "ugo".indexOf(text.charAt(i)) >= 0) {
          actions.add(new Action(op, "", Optional.of(text.charAt(i++))));
          continue;
        }
        while (i < text.length() && "rwxXst".indexOf(text.charAt(i)) >= 0) {
          i++;
        }
        actions.add(new Action(op, text.substring(start, i), Optional.empty()));
      }
      if (actions.isEmpty()) {
        throw invalid(text);
      }
      return new Clause(who == 0 ? ALL : who, List.copyOf(actions));
    }

    int apply(int mode, boolean directory) {
      int m = mode;
      for (Action a : actions) {
        int bits =
            a.copyFrom().isPresent()
                ? copied(m, a.copyFrom().get())
                : bits(a.perms(), m, directory);
        bits &= who;
        m =
            switch (a.op()) {
              case '+' -> m | bits;
              case '-' -> m & ~bits;
              default -> (m & ~(who & 0777)) | bits;
            };
      }
      return m;
    }

    private static int bits(String perms, int mode, boolean directory) {
      int bits = 0;
      for (char p : perms.toCharArray()) {
        bits |=
            switch (p) {
              case 'r' -> 0444;
              case 'w' -> 0222;
              case 'x' -> 0111;
              case 'X' -> directory || (mode & 0111) != 0 ? 0111 : 0;
              case 's' -> 06000;
              default -> 01000; // 't'
            };
      }
      return bits;
    }

    /** {@code g=u}: the user's (group's, others') rwx bits, spread to every class. */
    private static int copied(int mode, char from) {
      int shift = from == 'u' ? 6 : from == 'g' ? 3 : 0;
      return ((mode >> shift) & 7) * 0111;
    }

    private static IllegalArgumentException invalid(String clause) {
      return new IllegalArgumentException(
          "\"" + clause + "\" is neither an octal mode nor a symbolic one such as u+x,go-w");
    }
  }
}
