package dev.hoist.builder.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Finds and reads the {@code .dockerignore} file of a build. */
public final class DockerIgnore {
  private DockerIgnore() {}

  /**
   * The ignore file that applies: {@code <Dockerfile>.dockerignore} beside the Dockerfile (e.g.
   * {@code build/app.Dockerfile.dockerignore}) wins over {@code .dockerignore} at the context root.
   */
  public static Optional<Path> locate(Path contextDir, Optional<Path> dockerfile) {
    Objects.requireNonNull(contextDir, "contextDir");
    Objects.requireNonNull(dockerfile, "dockerfile");
    if (dockerfile.isPresent()) {
      Path df = dockerfile.get();
      Path specific = df.resolveSibling(df.getFileName() + ".dockerignore");
      if (Files.isRegularFile(specific)) {
        return Optional.of(specific);
      }
    }
    Path root = contextDir.resolve(".dockerignore");
    return Files.isRegularFile(root) ? Optional.of(root) : Optional.empty();
  }

  /**
   * The matcher for a build: from the file {@link #locate} finds, or one that ignores nothing.
   *
   * @throws IllegalArgumentException naming the file and the malformed pattern
   */
  public static IgnoreMatcher load(Path contextDir, Optional<Path> dockerfile) throws IOException {
    Optional<Path> file = locate(contextDir, dockerfile);
    if (file.isEmpty()) {
      return IgnoreMatcher.NONE;
    }
    String text = Files.readString(file.get(), StandardCharsets.UTF_8);
    try {
      return IgnoreMatcher.of(readPatterns(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file.get() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The patterns of an ignore file, as Docker reads them: a BOM dropped, {@code #} lines (in column
   * 0) skipped, blanks trimmed, paths cleaned, a leading {@code /} removed, {@code !} kept.
   */
  public static List<String> readPatterns(String text) {
    List<String> out = new ArrayList<>();
    boolean first = true;
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (first && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      first = false;
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      boolean invert = pattern.charAt(0) == '!';
      if (invert) {
        pattern = pattern.substring(1).strip();
      }
      if (!pattern.isEmpty()) {
        pattern = GoPaths.clean(pattern);
        if (pattern.length() > 1 && pattern.charAt(0) == '/') {
          pattern = pattern.substring(1);
        }
      }
      out.add(invert ? "!" + pattern : pattern);
    }
    return out;
  }
}
