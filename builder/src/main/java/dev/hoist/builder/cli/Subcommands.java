package dev.hoist.builder.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * hoist's subcommands by name, in the order {@code hoist --help} lists them, and the choice of
 * which of them a command line needs.
 */
final class Subcommands {
  static final Map<String, Class<?>> ALL = all();

  /** Global options of {@link Hoist} that take a value in the next argument. */
  private static final Set<String> GLOBAL_OPTIONS_WITH_VALUE =
      Set.of("--root", "--insecure-registry");

  private Subcommands() {}

  private static Map<String, Class<?>> all() {
    Map<String, Class<?>> all = new LinkedHashMap<>();
    all.put("build", BuildCommand.class);
    all.put("version", VersionCommand.class);
    all.put("images", ImagesCommand.class);
    all.put("inspect", InspectCommand.class);
    all.put("history", HistoryCommand.class);
    all.put("tag", TagCommand.class);
    all.put("rmi", RmiCommand.class);
    all.put("prune", PruneCommand.class);
    all.put("save", SaveCommand.class);
    all.put("load", LoadCommand.class);
    all.put("fsck", FsckCommand.class);
    all.put("lint", LintCommand.class);
    all.put("debug", DebugParseCommand.class);
    all.put("pull", PullCommand.class);
    all.put("push", PushCommand.class);
    all.put("login", LoginCommand.class);
    all.put("logout", LogoutCommand.class);
    all.put("manifest", ManifestCommand.class);
    all.put("copy", CopyCommand.class);
    all.put("run", RunCommand.class);
    return all;
  }

  /**
   * The subcommands to register for {@code args}: only the one named when the first word after the
   * global options is a known command, every one otherwise (for help and for suggestions after a
   * typo).
   */
  static List<Class<?>> needed(String[] args) {
    return name(args)
        .map(ALL::get)
        .<List<Class<?>>>map(List::of)
        .orElseGet(() -> List.copyOf(ALL.values()));
  }

  /** The known command {@code args} run, if the first word after the global options is one. */
  static Optional<String> name(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (GLOBAL_OPTIONS_WITH_VALUE.contains(arg)) {
        i++;
      } else if (arg.equals("--tls-verify") && i + 1 < args.length && isBoolean(args[i + 1])) {
        i++;
      } else if (!arg.startsWith("-")) {
        return ALL.containsKey(arg) ? Optional.of(arg) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The command a mistyped word most likely meant: at most two letters wrong or swapped. */
  static Optional<String> closest(String word) {
    String best = null;
    int bestDistance = 3;
    for (String name : ALL.keySet()) {
      int d = distance(word, name);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static boolean isBoolean(String value) {
    return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
  }
}
