package dev.hoist.testkit.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing dump files: lines starting with '#' are comments, never compared. */
public final class DumpLines {
  static final String STATUS_BUILT = "status=built";
  static final String STATUS_FAILED = "status=failed";

  private DumpLines() {}

  /** The dump of a build that failed, its first error line kept as a comment. */
  public static List<String> failed(String errorLine) {
    return List.of(STATUS_FAILED, "# error: " + errorLine.strip());
  }

  public static List<String> read(Path file) throws IOException {
    return Files.readAllLines(file);
  }

  /** Writes {@code header} lines as comments, then {@code lines}. */
  public static void write(Path file, List<String> header, List<String> lines) throws IOException {
    List<String> all = new ArrayList<>();
    header.forEach(h -> all.add("# " + h));
    all.addAll(lines);
    Files.write(file, all);
  }

  static List<String> significant(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  static boolean failed(List<String> lines) {
    return significant(lines).contains(STATUS_FAILED);
  }

  /** The key of a config line ({@code layers=3} → {@code layers}); file lines have none. */
  static Optional<String> key(String line) {
    int eq = line.indexOf('=');
    return line.startsWith("/") || eq < 0 ? Optional.empty() : Optional.of(line.substring(0, eq));
  }
}
