package dev.hoist.builder.build;

import dev.hoist.image.Descriptor;
import dev.hoist.registry.TransferListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress as BuildKit's tty mode shows it: a live view redrawn in place (ANSI cursor-up) ten times
 * a second: a header with the elapsed time, one line per step with its state and time, the last
 * lines a running RUN printed under it, and a bar per layer while a base image is pulled. {@link
 * #frame} gives the lines of the view without a terminal.
 */
public final class TtyProgress implements Progress {
  /** How many lines of a running step's output are shown under it. */
  static final int TAIL = 6;

  private enum State {
    RUNNING,
    DONE,
    CACHED,
    ERROR,
    CANCELED
  }

  private static final class Step {
    final String title;
    final long started;
    long ended = -1;
    State state = State.RUNNING;
    final Deque<String> tail = new ArrayDeque<>();

    Step(String title, long started) {
      this.title = title;
      this.started = started;
    }
  }

  private static final class Pull {
    final long started;
    long ended = -1;
    final Map<String, long[]> layers = new LinkedHashMap<>(); // digest -> {done, size}

    Pull(long started) {
      this.started = started;
    }
  }

  private final PrintStream out;
  private final int width;
  private final int height;
  private final LongSupplier clock;
  private final long start;
  private final Map<Integer, Step> steps = new LinkedHashMap<>();
  private final Map<String, Pull> pulls = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private int next;
  private int drawn;
  private boolean finished;
  private Thread ticker;

  /**
   * @param out the terminal
   * @param width its columns: lines are cut to fit, so that a redraw moves over whole lines
   * @param height its rows: a frame shows at most this many lines, the newest
   * @param clock nanoseconds: {@link System#nanoTime}, or a test's
   */
  TtyProgress(PrintStream out, int width, int height, LongSupplier clock) {
    this.out = out;
    this.width = Math.max(20, width);
    this.height = Math.max(5, height);
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Starts a live view on {@code out}, redrawn every 100 ms until {@link #finish()}. */
  public static TtyProgress live(PrintStream out, int width, int height) {
    TtyProgress p = new TtyProgress(out, width, height, System::nanoTime);
    p.ticker =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  p.redraw();
                  Thread.sleep(100);
                }
              } catch (InterruptedException e) {
                // finished
              }
            },
            "hoist-progress");
    p.ticker.setDaemon(true);
    p.ticker.start();
    return p;
  }

  @Override
  public synchronized int stepStarted(String stage, int index, int count, String text) {
    int n = ++next;
    String first = text.lines().findFirst().orElse("");
    steps.put(n, new Step("[" + stage + index + "/" + count + "] " + first, clock.getAsLong()));
    return n;
  }

  @Override
  public void stepCached(int step) {
    end(step, State.CACHED);
  }

  @Override
  public void stepDone(int step, Duration took) {
    end(step, State.DONE);
  }

  @Override
  public synchronized void stepFailed(int step, Duration took, String reason) {
    end(step, State.ERROR);
    notes.add("ERROR: " + reason);
  }

  @Override
  public void stepCancelled(int step, Duration took) {
    end(step, State.CANCELED);
  }

  @Override
  public synchronized void stepInfo(int step, String line) {
    Step s = steps.get(step);
    if (s != null) {
      addTail(s, line);
    }
  }

  @Override
  public synchronized void warning(String line) {
    notes.add("WARNING: " + line);
  }

  @Override
  public OutputStream output(int step) {
    return new Lines(step);
  }

  @Override
  public synchronized TransferListener pullStarted(String image) {
    Pull pull = new Pull(clock.getAsLong());
    pulls.put(image, pull);
    return new TransferListener() {
      @Override
      public void started(Descriptor blob) {
        progress(blob, 0);
      }

      @Override
      public void progress(Descriptor blob, long done) {
        synchronized (TtyProgress.this) {
          pull.layers.put(blob.digest().toString(), new long[] {done, blob.size()});
        }
      }

      @Override
      public void finished(Descriptor blob, Outcome outcome) {
        synchronized (TtyProgress.this) {
          pull.layers.put(blob.digest().toString(), new long[] {blob.size(), blob.size()});
        }
      }
    };
  }

  @Override
  public synchronized void pullDone(String image) {
    Pull pull = pulls.get(image);
    if (pull != null) {
      pull.ended = clock.getAsLong();
    }
  }

  /** Stops redrawing and draws the last frame, which stays on the terminal. */
  @Override
  public void finish() {
    synchronized (this) {
      finished = true;
    }
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    redraw();
  }

  /** Draws the current frame over the previous one. */
  synchronized void redraw() {
    List<String> lines = frame();
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\033[").append(drawn).append("A\r");
    }
    for (String line : lines) {
      sb.append(line).append("\033[K\n");
    }
    sb.append("\033[J");
    drawn = lines.size();
    out.print(sb);
    out.flush();
  }

  /** The lines of the view now, each shorter than the terminal's width. */
  synchronized List<String> frame() {
    long now = clock.getAsLong();
    List<String> body = new ArrayList<>();
    for (Map.Entry<String, Pull> e : pulls.entrySet()) {
      Pull p = e.getValue();
      body.add(row("=> pull " + e.getKey(), seconds((p.ended < 0 ? now : p.ended) - p.started)));
      if (p.ended < 0) {
        for (Map.Entry<String, long[]> layer : p.layers.entrySet()) {
          body.add(cut(" => => " + layerLine(layer.getKey(), layer.getValue())));
        }
      }
    }
    int ended = 0;
    for (Step s : steps.values()) {
      long took = (s.ended < 0 ? now : s.ended) - s.started;
      String label =
          switch (s.state) {
            case RUNNING, DONE -> "";
            case CACHED -> "CACHED ";
            case ERROR -> "ERROR ";
            case CANCELED -> "CANCELED ";
          };
      if (s.state != State.RUNNING) {
        ended++;
      }
      body.add(row("=> " + label + s.title, s.state == State.CACHED ? "0.0s" : seconds(took)));
      if (s.state == State.RUNNING || s.state == State.ERROR) {
        for (String t : s.tail) {
          body.add(cut(" => => # " + t));
        }
      }
    }
    for (String note : notes) {
      body.add(cut(note));
    }
    List<String> lines = new ArrayList<>();
    String header =
        "[+] Building " + seconds(now - start) + " (" + ended + "/" + steps.size() + ")";
    lines.add(row(finished ? header + " FINISHED" : header, ""));
    // A frame taller than the terminal could not be redrawn in place: keep the newest lines.
    lines.addAll(body.subList(Math.max(0, body.size() - (height - 1)), body.size()));
    return lines;
  }

  private synchronized void end(int step, State state) {
    Step s = steps.get(step);
    if (s != null && s.state == State.RUNNING) {
      s.state = state;
      s.ended = clock.getAsLong();
    }
  }

  private static void addTail(Step s, String line) {
    s.tail.addLast(line.replace('\t', ' ').replaceAll("\\p{Cntrl}", ""));
    if (s.tail.size() > TAIL) {
      s.tail.removeFirst();
    }
  }

  /** {@code text}, then {@code right} aligned to the terminal's last column but one. */
  private String row(String text, String right) {
    int room = width - 1 - right.length() - 1;
    String left = text.length() > room ? text.substring(0, Math.max(0, room - 3)) + "..." : text;
    return left + " ".repeat(Math.max(1, width - 1 - left.length() - right.length())) + right;
  }

  private String cut(String text) {
    return text.length() > width - 1 ? text.substring(0, width - 1) : text;
  }

  private static String layerLine(String digest, long[] doneOfSize) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    String shortDigest = "sha256:" + hex.substring(0, Math.min(12, hex.length()));
    long done = doneOfSize[0];
    long size = doneOfSize[1];
    int filled = size <= 0 ? 20 : (int) Math.min(20, done * 20 / size);
    return shortDigest
        + " ["
        + "=".repeat(filled)
        + " ".repeat(20 - filled)
        + "] "
        + size(done)
        + " / "
        + size(size);
  }

  private static String size(long bytes) {
    return bytes < 1_000_000
        ? String.format("%.1fkB", bytes / 1e3)
        : String.format("%.2fMB", bytes / 1e6);
  }

  private static String seconds(long nanos) {
    return String.format("%.1fs", nanos / 1e9);
  }

  /** Splits a step's output into lines for its tail. */
  private final class Lines extends OutputStream {
    private final int step;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Lines(int step) {
      this.step = step;
    }

    @Override
    public void write(int b) {
      if (b == '\n' || b == '\r') {
        flushLine();
      } else if (pending.size() < 4096) {
        pending.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public void close() {
      flushLine();
    }

    private void flushLine() {
      if (pending.size() == 0) {
        return;
      }
      String line = pending.toString(StandardCharsets.UTF_8);
      pending.reset();
      synchronized (TtyProgress.this) {
        Step s = steps.get(step);
        if (s != null) {
          addTail(s, line);
        }
      }
    }
  }
}
