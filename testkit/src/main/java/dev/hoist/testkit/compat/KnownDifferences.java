package dev.hoist.testkit.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * bench/compat/known-differences.txt: one case a line, {@code NAME REASON}, the cases hoist gets
 * wrong today; '#' starts a comment.
 */
public record KnownDifferences(Map<String, String> reasons) {
  public KnownDifferences {
    reasons = Map.copyOf(reasons);
  }

  public static KnownDifferences read(Path file) throws IOException {
    Map<String, String> reasons = new TreeMap<>();
    if (!Files.exists(file)) {
      return new KnownDifferences(reasons);
    }
    int lineNo = 0;
    for (String line : Files.readAllLines(file)) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] parts = l.split("\\s+", 2);
      if (parts.length < 2) {
        throw new IOException(
            file + ":" + lineNo + ": '" + l + "' has no reason: write 'NAME REASON'");
      }
      reasons.put(parts[0], parts[1]);
    }
    return new KnownDifferences(reasons);
  }

  public boolean lists(String name) {
    return reasons.containsKey(name);
  }
}
