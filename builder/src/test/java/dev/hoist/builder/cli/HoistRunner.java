package dev.hoist.builder.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the {@code hoist} CLI in this JVM with its output captured, as a test sees a user's run. */
public final class HoistRunner {
  private HoistRunner() {}

  public record Result(int status, String stdout, String stderr) {}

  public static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Hoist.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code hoist --root STORE ARGS} with {@code env}. */
  public static Result inStore(Map<String, String> env, Path store, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", store.toString()));
    all.addAll(List.of(args));
    return run(env, all.toArray(String[]::new));
  }

  /** Runs {@code hoist --root STORE ARGS} with no extra environment. */
  public static Result inStore(Path store, String... args) {
    return inStore(Map.of(), store, args);
  }
}
