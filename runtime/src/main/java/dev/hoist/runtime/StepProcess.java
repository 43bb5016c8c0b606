package dev.hoist.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starts a step's outermost host process and streams its output. The process is always started from
 * one long-lived launcher thread and wrapped in {@code setpriv --pdeathsig KILL}: the parent death
 * signal fires when the starting <em>thread</em> ends, so a pool thread would kill steps at random,
 * while the launcher thread ends only with the JVM, and then (even on SIGKILL of hoist) the step's
 * whole tree dies with it.
 */
final class StepProcess {
  private static final ExecutorService LAUNCHER =
      Executors.newSingleThreadExecutor(r -> daemon(r, "hoist-sandbox-launcher"));
  private static final ExecutorService PUMPS =
      Executors.newCachedThreadPool(r -> daemon(r, "hoist-sandbox-output"));

  /** How the host process ended. */
  record Exit(int code, boolean timedOut) {}

  private StepProcess() {}

  /**
   * Runs {@code command} (with the pdeathsig wrapper added in front) with an environment of only
   * {@code env}, stdin from /dev/null, stdout and stderr copied to the given streams, and waits.
   */
  static Exit run(
      List<String> command,
      Map<String, String> env,
      Path wrapperLog,
      OutputStream stdout,
      OutputStream stderr,
      Optional<Duration> timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder();
    List<String> full = new java.util.ArrayList<>();
    full.add(HostTools.SETPRIV.toString());
    full.add("--pdeathsig");
    full.add("KILL");
    full.add("--");
    // The step's stderr stays on fd 3 for the set-up script to restore; unshare's own messages
    // go to a log (it reports a SIGKILLed child as "sigprocmask unblock failed", exit 1).
    full.add(HostTools.SH.toString());
    full.add("-c");
    full.add("exec \"$@\" 3>&2 2>\"$0\"");
    full.add(wrapperLog.toString());
    full.addAll(command);
    builder.command(full);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectInput(new File("/dev/null"));
    builder.directory(new File("/"));
    Process process = start(builder);
    Future<?> out = PUMPS.submit(() -> pump(process.getInputStream(), stdout));
    Future<?> err = PUMPS.submit(() -> pump(process.getErrorStream(), stderr));
    boolean timedOut = false;
    try {
      if (timeout.isPresent()) {
        if (!process.waitFor(timeout.get().toMillis(), TimeUnit.MILLISECONDS)) {
          timedOut = true;
          process.destroyForcibly();
        }
      }
      int code = process.waitFor();
      finish(out);
      finish(err);
      if (code == 1 && killedChild(wrapperLog)) {
        code = 137;
      }
      return new Exit(timedOut ? 137 : code, timedOut);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      process.onExit().join();
      throw e;
    }
  }

  private static boolean killedChild(Path log) throws IOException {
    return Files.exists(log)
        && Files.readString(log, StandardCharsets.UTF_8).contains("sigprocmask unblock failed");
  }

  private static Process start(ProcessBuilder builder) throws IOException, InterruptedException {
    try {
      return LAUNCHER.submit(builder::start).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new SandboxException(
            "cannot start " + builder.command().get(0) + ": " + io.getMessage(), io);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void finish(Future<?> pump) throws IOException, InterruptedException {
    try {
      pump.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Void pump(InputStream in, OutputStream out) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
