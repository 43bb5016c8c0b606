package dev.hoist.builder.build;

import dev.hoist.registry.TransferListener;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Hears what a build does, step by step, to show it to a person. Methods may be called from several
 * threads (stages build in parallel); implementations are thread-safe.
 */
public interface Progress {
  /** Says nothing; {@code --progress quiet}. */
  Progress QUIET = new Progress() {};

  /** A numbered step begins: {@code [stage 2/5] RUN make}. Returns the step's number. */
  default int stepStarted(String stage, int index, int count, String text) {
    return 0;
  }

  /** The step's result came from the cache. */
  default void stepCached(int step) {}

  /** The step ran and finished. */
  default void stepDone(int step, Duration took) {}

  /** The step failed; {@code reason} is one line. */
  default void stepFailed(int step, Duration took, String reason) {}

  /** The step was stopped because the build was cancelled (Ctrl-C). */
  default void stepCancelled(int step, Duration took) {}

  /** A line of information about the step, e.g. why its cache missed. */
  default void stepInfo(int step, String line) {}

  /** Where a RUN step's stdout and stderr go. */
  default OutputStream output(int step) {
    return OutputStream.nullOutputStream();
  }

  /** A base image is being pulled; the listener hears about its blobs. */
  default TransferListener pullStarted(String image) {
    return TransferListener.NONE;
  }

  /** The pull {@link #pullStarted} announced ended (done or failed). */
  default void pullDone(String image) {}

  /** The build ended: a live view stops redrawing and leaves its last frame. */
  default void finish() {}

  /** A warning about the build as a whole, e.g. an unused build arg. */
  default void warning(String line) {}
}
