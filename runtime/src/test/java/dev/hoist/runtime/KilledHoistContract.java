package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.runtime.SandboxFixture.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist SIGKILLed at random moments of a step (JVM start, set-up, running): the host's mount table
 * stays as it was, no step process survives, and the next start reclaims the work dirs and runs a
 * step.
 */
abstract class KilledHoistContract {
  private static final int RUNS = 20;

  abstract Isolation isolation();

  @Test
  void sigkillAtRandomMoments_leavesNoMountNoProcessAndTheNextRunWorks(@TempDir Path tmp)
      throws Exception {
    SandboxFixture fixture = new SandboxFixture(tmp);
    String mountsBefore = SandboxContract.mountTable();
    Random random = new Random(20261122L + isolation().ordinal());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < RUNS; i++) {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              java,
              "-Xshare:auto",
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              SandboxChild.class.getName(),
              isolation().flag(),
              fixture.workRoot.toString()));
      fixture.layers.forEach(l -> command.add(l.toString()));
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("child-" + i + ".log").toFile())
              .start();
      if (i % 2 == 0) {
        // Even runs: at a random moment of JVM start or set-up.
        Thread.sleep(random.nextInt(1000));
      } else {
        // Odd runs: while the step runs.
        Path log = tmp.resolve("child-" + i + ".log");
        for (int wait = 0; wait < 600 && !Files.readString(log).contains("started"); wait++) {
          Thread.sleep(25);
        }
        Thread.sleep(random.nextInt(200));
      }
      child.destroyForcibly();
      child.waitFor();
    }
    int started = 0;
    for (int i = 0; i < RUNS; i++) {
      if (Files.readString(tmp.resolve("child-" + i + ".log")).contains("started")) {
        started++;
      }
    }
    assertTrue(
        started > 0 && started < RUNS, started + " of " + RUNS + " kills hit a running step");
    waitForNoStepProcess();
    assertEquals(mountsBefore, SandboxContract.mountTable(), "mounts left on the host");
    // The builder keeps its own dirs in the same work root: reclaiming must not touch them.
    Path foreign = Files.createDirectories(fixture.workRoot.resolve("builder-upper/etc"));
    Sandbox next = Sandboxes.select(isolation(), fixture.workRoot);
    assertTrue(Files.isDirectory(foreign), "reclaiming deleted a directory it does not own");
    Output out =
        SandboxFixture.run(next, RunSpec.builder(fixture.overlay(), List.of("echo", "alive")));
    assertEquals("alive\n", out.stdout(), out.stderr());
    try (Stream<Path> dirs = Files.list(fixture.workRoot)) {
      assertEquals(
          List.of(),
          dirs.filter(p -> p.getFileName().toString().startsWith(RunDir.PREFIX))
              .filter(Files::isDirectory)
              .collect(Collectors.toList()),
          "stale work dirs were not reclaimed");
    }
    if (isolation() == Isolation.OCI) {
      try (Stream<Path> state = Files.list(fixture.workRoot.resolve(".runc"))) {
        assertEquals(List.of(), state.collect(Collectors.toList()), "runc state left");
      }
    }
  }

  private static void waitForNoStepProcess() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (ProcessHandle.allProcesses()
          .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 4242"))) {
        return;
      }
      Thread.sleep(50);
    }
    assertTrue(false, "a step process outlived its SIGKILLed hoist");
  }
}
