package dev.hoist.builder.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Keeps the last lines a step printed, to show them when it fails. */
final class TailBuffer extends OutputStream {
  private final int max;
  private final Deque<String> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  TailBuffer(int max) {
    this.max = max;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      push();
    } else if (current.size() < 4096) {
      current.write(b);
    }
  }

  private void push() {
    lines.addLast(current.toString(StandardCharsets.UTF_8));
    current.reset();
    if (lines.size() > max) {
      lines.removeFirst();
    }
  }

  /** {@code ; last output: a | b | c}, or nothing when the step printed nothing. */
  synchronized String summary() {
    if (current.size() > 0) {
      push();
    }
    if (lines.isEmpty()) {
      return "";
    }
    return "; its last output: "
        + String.join(" | ", lines.stream().skip(Math.max(0, lines.size() - 3)).toList());
  }

  static OutputStream tee(OutputStream a, OutputStream b) {
    return new OutputStream() {
      @Override
      public void write(int x) throws IOException {
        a.write(x);
        b.write(x);
      }

      @Override
      public void write(byte[] buf, int off, int len) throws IOException {
        a.write(buf, off, len);
        b.write(buf, off, len);
      }

      @Override
      public void flush() throws IOException {
        a.flush();
        b.flush();
      }
    };
  }
}
