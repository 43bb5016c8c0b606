package dev.hoist.builder.cli;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.registry.TransferListener;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress of blob transfers as {@code docker pull} shows it: on a terminal, one bar per blob
 * redrawn in place (at most ten times a second); otherwise one plain line per finished blob.
 */
final class TransferProgress implements TransferListener {
  private static final int BAR = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean tty;
  private final String verb;
  private final Map<Digest, Line> lines = new LinkedHashMap<>();
  private int drawn;
  private long lastDraw;

  private static final class Line {
    final long size;
    long done;
    String status;

    Line(long size, String status) {
      this.size = size;
      this.status = status;
    }
  }

  /**
   * @param verb "Downloading" or "Pushing", shown while a blob moves
   */
  TransferProgress(PrintStream out, boolean tty, String verb) {
    this.out = out;
    this.tty = tty;
    this.verb = verb;
  }

  /** Whether {@code out} is this process's terminal, where bars can be redrawn. */
  static boolean isTerminal(PrintStream out) {
    return out == System.out
        && System.console() != null
        && System.getenv("TERM") != null
        && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public synchronized void started(Descriptor blob) {
    lines.putIfAbsent(blob.digest(), new Line(blob.size(), "Waiting"));
    redraw(false);
  }

  @Override
  public synchronized void progress(Descriptor blob, long done) {
    Line l = lines.computeIfAbsent(blob.digest(), d -> new Line(blob.size(), verb));
    l.done = done;
    l.status = verb;
    redraw(false);
  }

  @Override
  public synchronized void finished(Descriptor blob, Outcome outcome) {
    Line l = lines.computeIfAbsent(blob.digest(), d -> new Line(blob.size(), ""));
    l.done = l.size;
    l.status =
        switch (outcome) {
          case DOWNLOADED -> "Pull complete";
          case ALREADY_PRESENT -> "Already exists";
          case UPLOADED -> "Pushed";
          case MOUNTED -> "Mounted from another repository";
          case ALREADY_EXISTS -> "Layer already exists";
        };
    if (tty) {
      redraw(true);
    } else {
      out.println(
          blob.digest().shortHex() + ": " + l.status + " (" + HumanUnits.size(l.size) + ")");
    }
  }

  private void redraw(boolean force) {
    if (!tty) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    StringBuilder s = new StringBuilder();
    if (drawn > 0) {
      s.append("\033[").append(drawn).append('A');
    }
    for (Map.Entry<Digest, Line> e : lines.entrySet()) {
      Line l = e.getValue();
      s.append("\033[2K").append(e.getKey().shortHex()).append(": ").append(l.status);
      if (l.status.equals(verb) && l.size > 0) {
        int filled = (int) Math.min(BAR, l.done * BAR / l.size);
        s.append(" [")
            .append("=".repeat(Math.max(0, filled - 1)))
            .append(filled > 0 ? ">" : "")
            .append(" ".repeat(BAR - filled))
            .append("] ")
            .append(HumanUnits.size(l.done))
            .append('/')
            .append(HumanUnits.size(l.size));
      }
      s.append('\n');
    }
    drawn = lines.size();
    out.print(s);
    out.flush();
  }
}
