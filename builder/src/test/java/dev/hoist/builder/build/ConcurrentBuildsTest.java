package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistJvm;
import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.testkit.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four {@code hoist build} processes and a loop of {@code hoist prune} and {@code hoist prune
 * --cache} (alternating) share one store at once: every build succeeds, every tag resolves, {@code
 * hoist fsck} passes, and what the builds used was not pruned from under them (every image unpacks
 * with the file its RUN step wrote).
 */
class ConcurrentBuildsTest {
  /** One build: its tag and the greeting its RUN step writes; equal greetings share all layers. */
  private record Build(String tag, String greeting, boolean noCache) {}

  private static final List<Build> BUILDS =
      List.of(
          new Build("conc/one:1", "hello", false),
          new Build("conc/two:1", "bonjour", false),
          new Build("conc/three:1", "hello", false),
          new Build("conc/four:1", "hola", true));

  private static final int ROUNDS = 3;

  @Test
  void fourBuildsAndPruneOnOneStore_allSucceedAndTheStoreStaysWhole(@TempDir Path tmp)
      throws Exception {
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Reference busybox = BuildFixtures.pushBusybox(registry, tmp.resolve("fixture"));
      Path store = tmp.resolve("store");
      Path context = BuildFixtures.DOCKERFILES.resolve("multistage");

      AtomicBoolean building = new AtomicBoolean(true);
      AtomicInteger prunes = new AtomicInteger();
      AtomicInteger cachePrunes = new AtomicInteger();
      List<String> pruneFailures = new ArrayList<>();
      Thread pruner =
          new Thread(
              () -> {
                try {
                  // Every other run empties the build cache too, while builds read and write it.
                  for (int i = 0; building.get() || i < 2; i++) {
                    Path log = tmp.resolve("prune-" + i + ".log");
                    boolean cache = i % 2 == 1;
                    Process p =
                        cache
                            ? HoistJvm.start(tmp, store, log, "prune", "--cache")
                            : HoistJvm.start(tmp, store, log, "prune");
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                      p.destroyForcibly();
                      synchronized (pruneFailures) {
                        pruneFailures.add(Files.readString(log));
                      }
                    }
                    (cache ? cachePrunes : prunes).incrementAndGet();
                  }
                } catch (Exception e) {
                  synchronized (pruneFailures) {
                    pruneFailures.add(e.toString());
                  }
                }
              });
      pruner.start();

      // Rounds: later builds find the cache full, emptied, or being emptied.
      for (int round = 0; round < ROUNDS; round++) {
        buildAll(tmp, store, busybox, context, round);
      }
      building.set(false);
      pruner.join(120_000);
      assertEquals(List.of(), pruneFailures, "hoist prune failed beside the builds");
      assertTrue(prunes.get() >= 1, "prune ran " + prunes.get() + " times");
      assertTrue(cachePrunes.get() >= 1, "prune --cache ran " + cachePrunes.get() + " times");

      // One more prune with nothing running: the tagged images keep everything they need.
      Map<String, String> env = Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
      HoistRunner.Result prune = HoistRunner.inStore(env, store, "prune");
      assertEquals(0, prune.status(), prune.stderr());
      HoistRunner.Result fsck = HoistRunner.inStore(env, store, "fsck");
      assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());

      try (Store s = Store.open(store)) {
        for (Build b : BUILDS) {
          StoredImage image = s.resolve(b.tag());
          Path fs = BuildFixtures.unpack(s, image, tmp.resolve("fs-" + b.tag().replace('/', '_')));
          String out = Files.readString(fs.resolve("app/out.txt"));
          assertTrue(out.contains(b.greeting() + " from /src"), b.tag() + ": " + out);
        }
      }
      System.out.printf(
          "concurrent builds: %d rounds of %d builds all succeeded beside %d prune and %d prune"
              + " --cache runs%n",
          ROUNDS, BUILDS.size(), prunes.get(), cachePrunes.get());
    }
  }

  /** Starts the four builds at once and waits for each to succeed. */
  private static void buildAll(Path tmp, Path store, Reference busybox, Path context, int round)
      throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < BUILDS.size(); i++) {
      Build b = BUILDS.get(i);
      List<String> args =
          new ArrayList<>(
              List.of(
                  BuildFixtures.buildArgs(
                      busybox, "--build-arg", "GREETING=" + b.greeting(), "-t", b.tag())));
      if (b.noCache()) {
        args.add("--no-cache");
      }
      args.add(context.toString());
      processes.add(
          HoistJvm.start(
              tmp,
              store,
              tmp.resolve("build-" + round + "-" + i + ".log"),
              args.toArray(String[]::new)));
    }
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      boolean done = p.waitFor(90, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      assertTrue(
          done && p.exitValue() == 0,
          BUILDS.get(i).tag()
              + " failed:\n"
              + Files.readString(tmp.resolve("build-" + round + "-" + i + ".log")));
    }
  }
}
