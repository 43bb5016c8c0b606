package dev.hoist.builder.build;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress as BuildKit's plain mode prints it: {@code #N [stage i/n] INSTRUCTION}, the step's
 * output prefixed with its number and time, then {@code #N CACHED} or {@code #N DONE 0.3s}.
 */
public final class PlainProgress implements Progress {
  private final PrintStream out;
  private final AtomicInteger steps = new AtomicInteger();
  private final long start = System.nanoTime();

  public PlainProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public int stepStarted(String stage, int index, int count, String text) {
    int n = steps.incrementAndGet();
    line("#" + n + " [" + stage + index + "/" + count + "] " + oneLine(text));
    return n;
  }

  @Override
  public void stepCached(int step) {
    line("#" + step + " CACHED");
  }

  @Override
  public void stepDone(int step, Duration took) {
    line("#" + step + " DONE " + seconds(took));
  }

  @Override
  public void stepFailed(int step, Duration took, String reason) {
    line("#" + step + " ERROR " + reason);
  }

  @Override
  public void stepCancelled(int step, Duration took) {
    line("#" + step + " CANCELED");
  }

  @Override
  public void stepInfo(int step, String text) {
    line("#" + step + " " + text);
  }

  @Override
  public void warning(String text) {
    line("WARNING: " + text);
  }

  @Override
  public OutputStream output(int step) {
    return new LineStream(step);
  }

  static String seconds(Duration d) {
    return String.format("%.1fs", d.toMillis() / 1000.0);
  }

  private static String oneLine(String text) {
    String first = text.lines().findFirst().orElse("");
    return text.contains("\n") ? first + " ..." : first;
  }

  private void line(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  /** Splits a step's output into lines and prints each as {@code #N 1.234 text}. */
  private final class LineStream extends OutputStream {
    private final int step;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineStream(int step) {
      this.step = step;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        flushLine();
      } else {
        pending.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void close() {
      if (pending.size() > 0) {
        flushLine();
      }
    }

    private void flushLine() {
      double at = (System.nanoTime() - start) / 1e9;
      line(
          String.format(
              "#%d %.3f %s", step, at, pending.toString(java.nio.charset.StandardCharsets.UTF_8)));
      pending.reset();
    }
  }
}
