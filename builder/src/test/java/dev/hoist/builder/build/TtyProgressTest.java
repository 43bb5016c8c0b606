package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Descriptor;
import dev.hoist.image.Digest;
import dev.hoist.image.MediaTypes;
import dev.hoist.registry.TransferListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The tty view's frames for a recorded build (a pull, a cached step, a RUN printing lines, a
 * failure) on a 60-column, 12-row terminal with a clock the test moves, compared line by line.
 */
class TtyProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final TtyProgress tty =
      new TtyProgress(new PrintStream(screen, true, StandardCharsets.UTF_8), 60, 12, now::get);

  private void at(double seconds) {
    now.set((long) (seconds * 1e9));
  }

  @Test
  void frames_showPullBarsRunningStepsWithTheirLastLinesAndFinishedStates() throws Exception {
    Descriptor layer =
        Descriptor.of(
            MediaTypes.OCI_LAYER_GZIP, Digest.parse("sha256:" + "ab".repeat(32)), 4_000_000);
    TransferListener pull = tty.pullStarted("localhost:5000/busybox:latest");
    at(0.5);
    pull.progress(layer, 1_000_000);
    assertEquals(
        List.of(
            "[+] Building 0.5s (0/0)                                    ",
            "=> pull localhost:5000/busybox:latest                  0.5s",
            " => => sha256:abababababab [=====               ] 1.00MB / 4.00MB".substring(0, 59)),
        tty.frame());

    pull.finished(layer, TransferListener.Outcome.DOWNLOADED);
    tty.pullDone("localhost:5000/busybox:latest");
    int from = tty.stepStarted("", 1, 3, "FROM localhost:5000/busybox:latest");
    tty.stepDone(from, Duration.ZERO);
    int copy = tty.stepStarted("", 2, 3, "COPY app /app");
    tty.stepCached(copy);
    at(1.0);
    int run =
        tty.stepStarted(
            "", 3, 3, "RUN for i in 1 2 3 4 5 6 7 8; do echo line $i; done && sleep 10");
    try (OutputStream out = tty.output(run)) {
      for (int i = 1; i <= 8; i++) {
        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
      }
      at(3.2);
      assertEquals(
          List.of(
              "[+] Building 3.2s (2/3)                                    ",
              "=> pull localhost:5000/busybox:latest                  0.5s",
              "=> [1/3] FROM localhost:5000/busybox:latest            0.0s",
              "=> CACHED [2/3] COPY app /app                          0.0s",
              "=> [3/3] RUN for i in 1 2 3 4 5 6 7 8; do echo line... 2.2s",
              " => => # line 3",
              " => => # line 4",
              " => => # line 5",
              " => => # line 6",
              " => => # line 7",
              " => => # line 8"),
          tty.frame());
    }
    at(4.0);
    tty.stepFailed(run, Duration.ofSeconds(3), "Dockerfile:4: RUN failed with exit code 1");
    List<String> last = tty.frame();
    // Twelve rows: the header and the newest eleven lines; the failed step keeps its output.
    assertEquals(12, last.size());
    assertEquals("=> ERROR [3/3] RUN for i in 1 2 3 4 5 6 7 8; do ech... 3.0s", last.get(4));
    assertEquals(" => => # line 8", last.get(10));
    assertEquals("ERROR: Dockerfile:4: RUN failed with exit code 1", last.get(11));
    assertTrue(last.stream().allMatch(l -> l.length() <= 59), String.join("\n", last));
    tty.finish();
    assertEquals("[+] Building 4.0s (3/3) FINISHED                           ", tty.frame().get(0));
  }

  @Test
  void redraw_movesTheCursorUpOverThePreviousFrame() {
    tty.stepStarted("", 1, 1, "RUN true");
    tty.redraw();
    tty.redraw();
    String frame =
        "[+] Building 0.0s (0/1)                                    \033[K\n"
            + "=> [1/1] RUN true                                      0.0s\033[K\n"
            + "\033[J";
    assertEquals(frame + "\033[2A\r" + frame, screen.toString(StandardCharsets.UTF_8));
  }

  @Test
  void terminal_isNoneWhenStderrIsAPipeOrTermIsDumb() {
    // Surefire gives the test JVM a pipe for stderr, as CI and `hoist build 2>log` do.
    assertEquals(java.util.Optional.empty(), Terminal.stderr(java.util.Map.of("TERM", "xterm")));
    assertEquals(java.util.Optional.empty(), Terminal.stderr(java.util.Map.of("TERM", "dumb")));
  }
}
