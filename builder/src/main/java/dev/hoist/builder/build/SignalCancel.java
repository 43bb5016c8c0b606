package dev.hoist.builder.build;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal closed) into a {@link Cancellation} of
 * the builds running in this JVM, instead of the JVM's default of exiting at once with the step's
 * processes still running and its work dirs left. The handlers are installed while at least one
 * build is watched, and the JVM's own restored after the last. A second signal, or a build still
 * running {@link #GRACE} after the first, halts the JVM: what is left then is what a SIGKILL
 * leaves, which the store and the sandbox recover from.
 */
public final class SignalCancel implements AutoCloseable {
  /** How long a cancelled build may take to unwind before the JVM is halted. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private static final Map<String, Integer> EXIT_STATUS =
      Map.of("INT", 130, "TERM", 143, "HUP", 129);
  private static final Set<SignalCancel> WATCHED = new CopyOnWriteArraySet<>();
  private static final Map<String, SignalHandler> PREVIOUS = new HashMap<>();

  private final Cancellation cancellation;

  private SignalCancel(Cancellation cancellation) {
    this.cancellation = cancellation;
  }

  /**
   * Cancels {@code cancellation} on SIGINT, SIGTERM or SIGHUP until {@link #close()}. A signal the
   * process was started ignoring (a background job's SIGINT) stays ignored, as the JVM keeps it.
   */
  public static SignalCancel watch(Cancellation cancellation) {
    SignalCancel watch = new SignalCancel(cancellation);
    synchronized (PREVIOUS) {
      if (WATCHED.isEmpty()) {
        for (String name : List.of("INT", "TERM", "HUP")) {
          try {
            PREVIOUS.put(name, Signal.handle(new Signal(name), SignalCancel::received));
          } catch (IllegalArgumentException e) {
            // The JVM runs with -Xrs or the signal is taken: keep the JVM's own behaviour.
          }
        }
      }
      WATCHED.add(watch);
    }
    return watch;
  }

  @Override
  public void close() {
    synchronized (PREVIOUS) {
      if (WATCHED.remove(this) && WATCHED.isEmpty()) {
        PREVIOUS.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
        PREVIOUS.clear();
      }
    }
  }

  private static void received(Signal signal) {
    int status = EXIT_STATUS.getOrDefault(signal.getName(), 128 + signal.getNumber());
    for (SignalCancel watch : WATCHED) {
      if (watch.cancellation.reason().isPresent()) {
        // Asked twice: stop now.
        Runtime.getRuntime().halt(status);
      }
      watch.cancellation.cancel(new Cancellation.Reason("SIG" + signal.getName(), status));
      Thread watchdog =
          new Thread(
              () -> {
                try {
                  Thread.sleep(GRACE.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                if (WATCHED.contains(watch)) {
                  System.err.println(
                      "hoist: the build did not stop within "
                          + GRACE.toSeconds()
                          + "s of SIG"
                          + signal.getName()
                          + "; exiting now");
                  Runtime.getRuntime().halt(status);
                }
              },
              "hoist-cancel-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
  }
}
