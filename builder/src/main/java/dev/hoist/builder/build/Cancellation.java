package dev.hoist.builder.build;

import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Asks a running build to stop, e.g. on Ctrl-C. Cooperative where stopping half-way would leave a
 * mess (a layer being written finishes, and the build stops at its next step), and by thread
 * interrupt where waiting is what takes the time: inside {@link #interruptibly} (a RUN step's
 * process, a base image pull, a git fetch), so that the sandbox kills the step's processes at once.
 */
public final class Cancellation {
  /** Why the build was stopped and the exit status that says so (130 for SIGINT, 143 for TERM). */
  public record Reason(String what, int exitStatus) {}

  /** Work that may block for long and that an interrupt ends. */
  @FunctionalInterface
  public interface Blocking<T> {
    T call() throws IOException, InterruptedException;
  }

  private final Set<Thread> interruptible = new HashSet<>();
  private Reason reason;

  /** Stops the build: the first reason wins; interrupts every thread in {@link #interruptibly}. */
  public synchronized void cancel(Reason why) {
    if (reason != null) {
      return;
    }
    reason = why;
    for (Thread t : interruptible) {
      t.interrupt();
    }
  }

  /** Why the build was cancelled, once it was. */
  public synchronized Optional<Reason> reason() {
    return Optional.ofNullable(reason);
  }

  /** Throws once the build is cancelled: called between steps. */
  public void check() throws BuildCancelledException {
    Optional<Reason> why = reason();
    if (why.isPresent()) {
      throw new BuildCancelledException(why.get());
    }
  }

  /**
   * Runs {@code work} so that a cancel interrupts it. The interrupt is cleared on the way out, so
   * that the caller's clean-up (deleting dirs, releasing leases) runs on a thread that is not
   * interrupted.
   */
  public <T> T interruptibly(Blocking<T> work) throws IOException, InterruptedException {
    Thread self = Thread.currentThread();
    synchronized (this) {
      check();
      interruptible.add(self);
    }
    try {
      return work.call();
    } finally {
      synchronized (this) {
        interruptible.remove(self);
        Thread.interrupted();
      }
      check();
    }
  }

  /** The build stopped because it was asked to. */
  public static final class BuildCancelledException extends IOException {
    private static final long serialVersionUID = 1L;

    BuildCancelledException(Reason why) {
      super("build cancelled (" + why.what() + ")");
    }
  }
}
