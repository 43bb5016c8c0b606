package dev.hoist.builder.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code hoist} as its own JVM, as a user runs it, with the test's classpath and flags for a
 * fast start: for tests that signal, kill or time a real process.
 */
public final class HoistJvm {
  private HoistJvm() {}

  /** The command line {@code java ... Hoist --root STORE ARGS}. */
  public static List<String> command(Path store, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.hoist.builder.cli.Hoist",
                "--root",
                store.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Starts {@code command} with output and errors to {@code log}; registry credentials come from
   * {@code tmp} only, so the user's own stay out of the test.
   */
  public static Process start(Path tmp, Path log, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
    pb.environment().remove("HOIST_ROOT");
    return pb.start();
  }

  /** Starts {@code hoist --root STORE ARGS}, output to {@code log}, as {@link #start} does. */
  public static Process start(Path tmp, Path store, Path log, String... args) throws IOException {
    return start(tmp, log, command(store, args));
  }
}
