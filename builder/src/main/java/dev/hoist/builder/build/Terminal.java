package dev.hoist.builder.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Whether this process's stderr is a terminal, and its size: what {@code --progress auto} asks. */
public final class Terminal {
  /** Rows and columns of a terminal. */
  public record Size(int rows, int columns) {}

  private Terminal() {}

  /**
   * The size of the terminal on fd 2, or empty when stderr is not one (a pipe, a file) or {@code
   * TERM} is unset or {@code dumb}. Java cannot ask isatty(2) itself, so a shell that inherits fd 2
   * does.
   */
  public static Optional<Size> stderr(Map<String, String> env) {
    String term = env.getOrDefault("TERM", "");
    if (term.isEmpty() || term.equals("dumb")) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder("/bin/sh", "-c", "[ -t 2 ] && stty size <&2")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (p.waitFor() != 0) {
        return Optional.empty();
      }
      String[] parts = out.split("\\s+");
      int rows = Integer.parseInt(parts[0]);
      int cols = Integer.parseInt(parts[1]);
      return Optional.of(new Size(rows > 0 ? rows : 24, cols > 0 ? cols : 80));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
