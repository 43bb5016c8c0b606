package dev.hoist.builder.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Whether this process's stderr is a terminal, and its size: what {@code --progress auto} asks. */
public final class Terminal {
  /** Rows and columns of a terminal. */
  public record Size(int rows, int columns) {}

  private Terminal() {}

  /**
   * The size of the terminal on fd 2, or empty when stderr is not one (a pipe, a file) or {@code
   * TERM} is unset or {@code dumb}. Java cannot call isatty(2); what fd 2 links to in /proc says
   * the same without starting a process, and only for a terminal is {@code stty} asked its size.
   */
  public static Optional<Size> stderr(Map<String, String> env) {
    String term = env.getOrDefault("TERM", "");
    if (term.isEmpty() || term.equals("dumb")) {
      return Optional.empty();
    }
    String device;
    try {
      device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    if (!device.startsWith("/dev/pts/") && !device.startsWith("/dev/tty")) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder("stty", "size")
              .redirectInput(new File(device))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (p.waitFor() != 0) {
        return Optional.of(new Size(24, 80));
      }
      String[] parts = out.split("\\s+");
      int rows = Integer.parseInt(parts[0]);
      int cols = Integer.parseInt(parts[1]);
      return Optional.of(new Size(rows > 0 ? rows : 24, cols > 0 ? cols : 80));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new Size(24, 80));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
