package dev.hoist.builder.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of {@code .dockerignore} patterns. A path is ignored when the last pattern that
 * matches it (or one of its parent directories) is not an exception.
 */
public final class IgnoreMatcher {
  private final List<IgnorePattern> patterns;
  private final boolean exclusions;

  private IgnoreMatcher(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
    this.exclusions = patterns.stream().anyMatch(IgnorePattern::exclusion);
  }

  /**
   * Compiles the patterns; blank ones are skipped.
   *
   * @throws IllegalArgumentException naming a malformed pattern
   */
  public static IgnoreMatcher of(List<String> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    List<IgnorePattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      if (!p.strip().isEmpty()) {
        compiled.add(IgnorePattern.compile(p));
      }
    }
    return new IgnoreMatcher(compiled);
  }

  public static final IgnoreMatcher NONE = new IgnoreMatcher(List.of());

  public List<IgnorePattern> patterns() {
    return patterns;
  }

  /** Whether some pattern is an exception ({@code !PATTERN}). */
  public boolean hasExclusions() {
    return exclusions;
  }

  /**
   * Whether the build context holds {@code path}, as BuildKit's context transfer (fsutil's walker)
   * sends it: a path is left out when it is ignored, or when an ignored directory above it is not
   * {@linkplain #descendsInto descended into}. An ignored directory that is descended into is sent
   * itself, with its own metadata, even when nothing below it comes back.
   */
  public boolean sends(String path, boolean directory) {
    Objects.requireNonNull(path, "path");
    String file = GoPaths.clean(path);
    if (file.equals(".")) {
      return true;
    }
    int slash = -1;
    while ((slash = file.indexOf('/', slash + 1)) >= 0) {
      if (!sendsBelowSentParent(file.substring(0, slash), true)) {
        return false;
      }
    }
    return sendsBelowSentParent(file, directory);
  }

  /** {@link #sends}, for a walk that has already found {@code path}'s parent sent. */
  public boolean sendsBelowSentParent(String path, boolean directory) {
    return !ignores(path) || (directory && descendsInto(path));
  }

  /**
   * Whether the walk goes into ignored directory {@code dir}: only when an exception's text starts
   * with {@code dir/}. fsutil compares the pattern as written, so {@code !**}{@code /keep} or
   * {@code !a/*}{@code /keep} do not open an ignored {@code a}: Docker and Buildah both leave it
   * out.
   */
  private boolean descendsInto(String dir) {
    String dirSlash = dir + "/";
    for (IgnorePattern pattern : patterns) {
      if (pattern.exclusion() && (pattern.pattern() + "/").startsWith(dirSlash)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code path} (relative to the context, slash-separated) is left out of the context. */
  public boolean ignores(String path) {
    Objects.requireNonNull(path, "path");
    String file = GoPaths.clean(path);
    if (file.equals(".")) {
      return false; // the context itself is never ignored
    }
    String parent = GoPaths.dir(file);
    String[] parentDirs = parent.split("/", -1);
    boolean matched = false;
    for (IgnorePattern pattern : patterns) {
      if (pattern.exclusion() != matched) {
        continue; // only an exception can change a match, only a rule a non-match
      }
      boolean match = pattern.matches(file);
      if (!match && !parent.equals(".")) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parentDirs.length && !match; i++) {
          if (i > 0) {
            prefix.append('/');
          }
          prefix.append(parentDirs[i]);
          match = pattern.matches(prefix.toString());
        }
      }
      if (match) {
        matched = !pattern.exclusion();
      }
    }
    return matched;
  }
}
