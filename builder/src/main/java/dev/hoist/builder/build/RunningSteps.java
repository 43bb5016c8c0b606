package dev.hoist.builder.build;

import dev.hoist.registry.TransferListener;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Passes progress on and remembers which steps are running and which a cancel stopped, so that a
 * cancelled build can say where it stopped.
 */
public final class RunningSteps implements Progress {
  private final Progress next;
  private final Set<Integer> running = new TreeSet<>();
  private final Set<Integer> cancelled = new TreeSet<>();

  public RunningSteps(Progress next) {
    this.next = next;
  }

  /** The steps that ended because the build was cancelled, lowest first. */
  public synchronized List<Integer> cancelled() {
    return List.copyOf(cancelled);
  }

  /** The steps started and not ended, lowest first. */
  public synchronized List<Integer> running() {
    return List.copyOf(running);
  }

  @Override
  public int stepStarted(String stage, int index, int count, String text) {
    int n = next.stepStarted(stage, index, count, text);
    synchronized (this) {
      running.add(n);
    }
    return n;
  }

  @Override
  public void stepCached(int step) {
    ended(step);
    next.stepCached(step);
  }

  @Override
  public void stepDone(int step, Duration took) {
    ended(step);
    next.stepDone(step, took);
  }

  @Override
  public void stepFailed(int step, Duration took, String reason) {
    ended(step);
    next.stepFailed(step, took, reason);
  }

  @Override
  public void stepCancelled(int step, Duration took) {
    synchronized (this) {
      running.remove(step);
      cancelled.add(step);
    }
    next.stepCancelled(step, took);
  }

  @Override
  public void stepInfo(int step, String line) {
    next.stepInfo(step, line);
  }

  @Override
  public OutputStream output(int step) {
    return next.output(step);
  }

  @Override
  public TransferListener pullStarted(String image) {
    return next.pullStarted(image);
  }

  @Override
  public void pullDone(String image) {
    next.pullDone(image);
  }

  @Override
  public void finish() {
    next.finish();
  }

  @Override
  public void warning(String line) {
    next.warning(line);
  }

  private synchronized void ended(int step) {
    running.remove(step);
  }
}
