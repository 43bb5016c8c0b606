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

  private SetupLog() {}

  /** Throws when the step never started, with the set-up's own error as the message. */
  static void check(RunDir dir, StepProcess.Exit exit) throws IOException {
    if (exit.timedOut() || started(dir)) {
      return;
    }
    Path log = dir.resolve(LOG);
    String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
    String last = text.replaceAll("\\s*\n\\s*", "; ");
    if (last.length() > 400) {
      last = last.substring(0, 400) + "...";
    }
    throw new SandboxException(
        "step set-up failed (exit " + exit.code() + ")" + (last.isEmpty() ? "" : ": " + last));
  }

  static boolean started(RunDir dir) throws IOException {
    Path marker = dir.resolve(STARTED);
    return Files.exists(marker) && Files.readString(marker).startsWith("ok");
  }
}
