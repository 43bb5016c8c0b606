package dev.hoist.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a failed set-up from a failed step: the set-up script writes its errors to a log and "ok"
 * to a marker file just before it execs the step.
 */
final class SetupLog {
  static final String LOG = "setup.log";
  static final String STARTED = "started";

  /** Where the unshare wrapper's own messages go. */
  static final String WRAPPER_LOG = "unshare.log";

  private SetupLog() {}

  /** Throws when the step never started, with the set-up's own error as the message. */
  /**
   * Runs a backend's wrapper command (host PATH, its output to the wrapper log, the step's
   * stdout/stderr and timeout), turns a set-up failure into a {@link SandboxException}, and reports
   * how the step ended; {@code start} is {@link System#nanoTime()} at the step's start.
   */
  static RunResult runWrapper(java.util.List<String> command, RunDir dir, RunSpec spec, long start)
      throws IOException, InterruptedException {
    StepProcess.Exit exit =
        StepProcess.run(
            command,
            java.util.Map.of("PATH", HostTools.HOST_PATH),
            dir.resolve(WRAPPER_LOG),
            spec.stdout(),
            spec.stderr(),
            spec.timeout());
    check(dir, exit);
    return new RunResult(
        exit.code(), exit.timedOut(), java.time.Duration.ofNanos(System.nanoTime() - start));
  }

  static void check(RunDir dir, StepProcess.Exit exit) throws IOException {
    if (exit.timedOut() || started(dir)) {
      return;
    }
    String text = (read(dir.resolve(WRAPPER_LOG)) + "\n" + read(dir.resolve(LOG))).strip();
    if (text.contains("Operation not permitted")
        && !"root".equals(System.getProperty("user.name"))) {
      text = "the sandbox needs root (namespaces, mounts): run hoist as root; " + text;
    }
    String last = text.replaceAll("\\s*\n\\s*", "; ");
    if (last.length() > 400) {
      last = last.substring(0, 400) + "...";
    }
    throw new SandboxException(
        "step set-up failed (exit " + exit.code() + ")" + (last.isEmpty() ? "" : ": " + last));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : "";
  }

  static boolean started(RunDir dir) throws IOException {
    Path marker = dir.resolve(STARTED);
    return Files.exists(marker) && Files.readString(marker).startsWith("ok");
  }
}
