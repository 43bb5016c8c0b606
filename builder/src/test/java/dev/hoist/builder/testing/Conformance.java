package dev.hoist.builder.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared conformance suites ({@code ../shared/conformance}, passed by surefire as the
 * system property {@code hoist.conformance}). When they are absent the calling test is skipped with
 * a message on stderr, never reported as passing.
 */
public final class Conformance {
  private Conformance() {}

  public static Optional<Path> root() {
    String prop = System.getProperty("hoist.conformance");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "..", "shared", "conformance");
    return Files.isDirectory(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
  }

  /** The suite folder {@code name}, or a skipped test that says why. */
  public static Path require(String name) {
    Optional<Path> dir = root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    if (dir.isEmpty()) {
      String msg =
          "SKIPPED: conformance suite '"
              + name
              + "' not found (system property hoist.conformance="
              + System.getProperty("hoist.conformance")
              + "); these vectors were NOT run";
      System.err.println(msg);
      Assumptions.abort(msg);
    }
    return dir.get();
  }

  /** Prints a suite's pass count so that it shows in the build log. */
  public static void report(String suite, int passed, int total) {
    System.out.println("conformance " + suite + ": " + passed + "/" + total + " passed");
  }
}
