package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.builder.cli.HoistJvm;
import dev.hoist.builder.cli.HoistRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist SIGKILLed at random moments of {@code build}, {@code pull} and {@code push}, each run as a
 * separate JVM as a user runs it: after every kill {@code hoist fsck} passes on the store, no mount
 * is left on the host under the test's directories, and the same command then succeeds.
 *
 * <p>Kill times are drawn from a seeded {@link Random}, spread from 50 ms to the duration of an
 * undisturbed run of the same command, so kills land in JVM start, the base image pull, RUN steps,
 * layer commits, tagging and uploads.
 */
class KillDuringBuildTest {
  private static final long SEED = 20261122L;
  private static final int BUILD_TRIALS = 18;
  private static final int PULL_TRIALS = 16;
  private static final int PUSH_TRIALS = 16;

  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();

  /** A finished child process: its exit status and what it printed. */
  private record Run(int status, String output) {}

  @Test
  void sigkillAtRandomMoments_leavesAStoreThatPassesFsckNoMountAndTheCommandThenSucceeds(
      @TempDir Path tmp) throws Exception {
    Random random = new Random(SEED);
    List<String> mountsBefore = BuildFixtures.mountsUnder(tmp);
    Path context = BuildFixtures.DOCKERFILES.resolve("multistage");

    // A built image to pull and push, made by an undisturbed build (also its typical duration).
    Path source = tmp.resolve("source");
    long start = System.nanoTime();
    Run first = hoist(tmp, source, buildArgs(context, "kill/app:1"));
    long buildMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, first.status(), first.output());
    String app = base.registry().host() + "/kill/app:1";
    Run seeded = hoist(tmp, source, "push", "kill/app:1", app);
    assertEquals(0, seeded.status(), seeded.output());

    int build =
        trials(
            tmp,
            random,
            "build",
            BUILD_TRIALS,
            buildMillis,
            i -> buildArgs(context, "kill/app:" + i),
            i -> tmp.resolve("build-" + i));
    start = System.nanoTime();
    Run pullOnce = hoist(tmp, tmp.resolve("pull-timing"), "pull", app);
    long pullMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, pullOnce.status(), pullOnce.output());
    int pull =
        trials(
            tmp,
            random,
            "pull",
            PULL_TRIALS,
            pullMillis,
            i -> new String[] {"pull", app},
            i -> tmp.resolve("pull-" + i));
    start = System.nanoTime();
    Run pushOnce =
        hoist(tmp, source, "push", "kill/app:1", base.registry().host() + "/kill/timing:1");
    long pushMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, pushOnce.status(), pushOnce.output());
    // Each push goes to a new repository so that every trial uploads and links its blobs anew.
    int push =
        trials(
            tmp,
            random,
            "push",
            PUSH_TRIALS,
            pushMillis,
            i ->
                new String[] {
                  "push", "kill/app:1", base.registry().host() + "/kill/push" + i + ":1"
                },
            i -> source);

    System.out.printf(
        "kill trials: build %d/%d, pull %d/%d, push %d/%d survived"
            + " (undisturbed: build %d ms, pull %d ms, push %d ms)%n",
        build,
        BUILD_TRIALS,
        pull,
        PULL_TRIALS,
        push,
        PUSH_TRIALS,
        buildMillis,
        pullMillis,
        pushMillis);
    assertEquals(mountsBefore, BuildFixtures.mountsUnder(tmp), "mounts left on the host");
  }

  private interface Args {
    String[] of(int trial);
  }

  private interface Root {
    Path of(int trial);
  }

  /** Runs {@code count} kill trials of one command and returns how many the store survived. */
  private static int trials(
      Path tmp, Random random, String name, int count, long typicalMillis, Args args, Root root)
      throws Exception {
    int survived = 0;
    long upper = Math.max(typicalMillis, 100);
    for (int i = 0; i < count; i++) {
      long killAfter = 50 + (long) (random.nextDouble() * (upper - 50));
      Path store = root.of(i);
      List<String> mountsBefore = BuildFixtures.mountsUnder(tmp);
      Process child = start(tmp, store, tmp.resolve(name + "-killed-" + i + ".log"), args.of(i));
      boolean exited = child.waitFor(killAfter, TimeUnit.MILLISECONDS);
      child.destroyForcibly();
      child.waitFor();
      String at =
          name
              + " trial "
              + i
              + " killed after "
              + killAfter
              + " ms"
              + (exited ? " (had already exited)" : "");

      Run fsck = inProcess(tmp, store, "fsck");
      assertEquals(0, fsck.status(), at + ": hoist fsck failed:\n" + fsck.output());
      assertEquals(mountsBefore, BuildFixtures.mountsUnder(tmp), at + ": mounts left on the host");
      Run again = inProcess(tmp, store, args.of(i));
      assertEquals(0, again.status(), at + ": the same command then failed:\n" + again.output());
      survived++;
    }
    return survived;
  }

  private static String[] buildArgs(Path context, String tag) {
    return BuildFixtures.buildArgs(base.busybox(), "-t", tag, context.toString());
  }

  private static Process start(Path tmp, Path store, Path log, String... args) throws IOException {
    return HoistJvm.start(tmp, store, log, args);
  }

  private static int counter;

  private static Run hoist(Path tmp, Path store, String... args) throws Exception {
    Path log = tmp.resolve("run-" + counter++ + ".log");
    Process p = start(tmp, store, log, args);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      throw new AssertionError(
          "hoist " + String.join(" ", args) + " hung:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  /**
   * Runs the CLI in this JVM, already warm, for the checks after a kill: the same command line and
   * exit status as the child, without paying a JVM start per check.
   */
  private static Run inProcess(Path tmp, Path store, String... args) {
    HoistRunner.Result r =
        HoistRunner.inStore(
            Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString()), store, args);
    return new Run(r.status(), r.stdout() + r.stderr());
  }
}
