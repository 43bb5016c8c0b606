package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistJvm;
import dev.hoist.builder.cli.HoistRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP sent to a real {@code hoist build} process while its RUN step
 * sleeps: the step's processes die, no mount is left, nothing is tagged, the store passes fsck, the
 * exit status is 128 + the signal with one line saying where the build stopped, and the build then
 * runs again.
 */
class BuildCancelTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();

  @ParameterizedTest(name = "SIG{0} -> exit {1}")
  @CsvSource({"INT, 130", "TERM, 143", "HUP, 129"})
  void signalDuringRun_killsTheStepUnmountsTagsNothingAndExitsWithTheSignalStatus(
      String signal, int status, @TempDir Path tmp) throws Exception {
    Path store = tmp.resolve("store");
    Path context = BuildFixtures.DOCKERFILES.resolve("cancel");
    List<String> mountsBefore = BuildFixtures.mountsUnder(tmp);
    Path log = tmp.resolve("build.log");
    Process hoist =
        start(
            tmp,
            store,
            log,
            BuildFixtures.buildArgs(base.busybox(), "-t", "cancel/app:1", context.toString()));
    List<ProcessHandle> step = awaitSleep(hoist, log);

    new ProcessBuilder("kill", "-s", signal, String.valueOf(hoist.pid()))
        .inheritIO()
        .start()
        .waitFor();
    assertTrue(hoist.waitFor(20, TimeUnit.SECONDS), "hoist did not exit after SIG" + signal);
    String output = Files.readString(log);

    assertEquals(status, hoist.exitValue(), output);
    assertTrue(
        output
            .lines()
            .anyMatch(l -> l.equals("hoist: build cancelled at step 2 (SIG" + signal + ")")),
        output);
    assertTrue(output.contains("#2 CANCELED"), output);
    assertFalse(output.contains("after-the-nap"), output);
    // The kernel kills the step's PID namespace when its init dies, just after hoist's own exit.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (step.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    for (ProcessHandle p : step) {
      assertFalse(
          p.isAlive(),
          "a process of the step is left: " + p.pid() + " " + cmdline(p).replace('\0', ' '));
    }
    assertEquals(mountsBefore, BuildFixtures.mountsUnder(tmp), "mounts left on the host");
    HoistRunner.Result fsck = HoistRunner.inStore(store, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
    HoistRunner.Result images = HoistRunner.inStore(store, "images");
    assertFalse(images.stdout().contains("cancel/app"), images.stdout());
    try (var work = Files.list(store.resolve(".hoist/work"))) {
      // Hidden entries are the sandbox's own (runc's state root); step dirs are the others.
      assertEquals(
          List.of(),
          work.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
          "step dirs left");
    }

    HoistRunner.Result again =
        HoistRunner.inStore(
            store,
            BuildFixtures.buildArgs(
                base.busybox(), "--build-arg", "NAP=0", "-t", "cancel/app:1", context.toString()));
    assertEquals(0, again.status(), again.stderr());
    assertTrue(HoistRunner.inStore(store, "images").stdout().contains("cancel/app"));
  }

  /**
   * Starts {@code hoist --root STORE ARGS} as its own JVM, as {@link HoistJvm#start} does, but with
   * INT, TERM and HUP at their default: a JVM started with a signal ignored (under nohup, or as a
   * background job of a script) keeps it ignored, as it should, and the test would then test
   * nothing.
   */
  private static Process start(Path tmp, Path store, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP"));
    command.addAll(HoistJvm.command(store, args));
    return HoistJvm.start(tmp, log, command);
  }

  /** Waits for the step's sleep to run and returns hoist's descendants at that moment. */
  private static List<ProcessHandle> awaitSleep(Process hoist, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertTrue(hoist.isAlive(), () -> "hoist ended before the step ran:\n" + read(log));
      List<ProcessHandle> all = hoist.descendants().toList();
      if (read(log).contains("nap-started")
          && all.stream().anyMatch(p -> cmdline(p).startsWith("sleep\0"))) {
        return all;
      }
      Thread.sleep(50);
    }
    hoist.destroyForcibly();
    throw new AssertionError("the RUN step's sleep never started:\n" + read(log));
  }

  /** The process's argv, NUL-separated, as /proc has it; empty once it is gone. */
  private static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
    } catch (IOException e) {
      return "";
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
