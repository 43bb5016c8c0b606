package dev.hoist.builder.instructions;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The instruction keywords, and the nearest one to a misspelt keyword. */
public final class Keywords {
  public static final List<String> ALL =
      List.of(
          "ADD",
          "ARG",
          "CMD",
          "COPY",
          "ENTRYPOINT",
          "ENV",
          "EXPOSE",
          "FROM",
          "HEALTHCHECK",
          "LABEL",
          "MAINTAINER",
          "ONBUILD",
          "RUN",
          "SHELL",
          "STOPSIGNAL",
          "USER",
          "VOLUME",
          "WORKDIR");

  private Keywords() {}

  /** The keyword within edit distance 2 of {@code word}, if one is that close. */
  public static Optional<String> suggest(String word) {
    return closest(word.toUpperCase(Locale.ROOT), ALL, 2);
  }

  /** The candidate nearest to {@code word} within {@code maxDistance}, ignoring case. */
  public static Optional<String> closest(String word, List<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = maxDistance + 1;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 8) {
      return Integer.MAX_VALUE / 2;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
