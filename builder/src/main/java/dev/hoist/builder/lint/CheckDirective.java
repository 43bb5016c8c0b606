package dev.hoist.builder.lint;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code # check=skip=ID,ID;error=true} parser directive, as BuildKit reads it: rules to skip
 * ({@code all} for every one) and whether warnings are errors.
 */
public record CheckDirective(Set<String> skip, boolean error) {
  public CheckDirective {
    skip = Set.copyOf(skip);
  }

  /** Parses the directive's value; an empty value skips nothing. */
  public static CheckDirective parse(String check) {
    Set<String> skip = new HashSet<>();
    boolean error = false;
    for (String part : check.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      if (key.equals("skip")) {
        for (String id : value.split(",")) {
          skip.add(id.trim().toUpperCase(Locale.ROOT));
        }
      } else if (key.equals("error")) {
        error = value.equalsIgnoreCase("true");
      }
    }
    return new CheckDirective(skip, error);
  }

  /** Whether the rule {@code ruleId} is skipped. */
  public boolean skips(String ruleId) {
    return skip.contains("ALL") || skip.contains(ruleId.toUpperCase(Locale.ROOT));
  }
}
