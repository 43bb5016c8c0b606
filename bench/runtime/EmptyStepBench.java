import dev.hoist.runtime.Isolation;
import dev.hoist.runtime.RunResult;
import dev.hoist.runtime.RunSpec;
import dev.hoist.runtime.Rootfs;
import dev.hoist.runtime.Sandbox;
import dev.hoist.runtime.Sandboxes;
import dev.hoist.testkit.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An empty step ({@code true}) over a 5-layer busybox image: set-up plus teardown, wall time per
 * step, for each isolation backend. Run with bench/runtime/empty-step.sh.
 */
public class EmptyStepBench {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path base = Files.createTempDirectory("hoist-bench-");
    List<Path> layers = BusyboxRootfs.createLayers(base.resolve("snapshots"), 5);
    // Baseline on the same machine at the same moment: the bare process chain with no rootfs.
    long[] bare = new long[runs];
    for (int i = -10; i < runs; i++) {
      long start = System.nanoTime();
      new ProcessBuilder(
              "setpriv", "--pdeathsig", "KILL", "--", "unshare", "--mount", "--uts", "--ipc",
              "--pid", "--fork", "--kill-child", "--propagation", "private", "--", "true")
          .start()
          .waitFor();
      if (i >= 0) {
        bare[i] = System.nanoTime() - start;
      }
    }
    Arrays.sort(bare);
    System.out.printf(
        "%-7s runs=%d  median=%.1f ms  (setpriv + unshare + true, no rootfs: the floor)%n",
        "bare", runs, bare[runs / 2] / 1e6);
    for (Isolation isolation : List.of(Isolation.CHROOT, Isolation.OCI)) {
      Sandbox sandbox = Sandboxes.select(isolation, base.resolve("work"));
      long[] nanos = new long[runs];
      for (int i = -10; i < runs; i++) { // 10 warm-up steps
        Path step = Files.createDirectories(base.resolve("steps/" + isolation + i));
        Rootfs rootfs =
            new Rootfs.Overlay(
                layers,
                Files.createDirectory(step.resolve("upper")),
                Files.createDirectory(step.resolve("work")));
        long start = System.nanoTime();
        RunResult result = sandbox.run(RunSpec.builder(rootfs, List.of("true")).build());
        long elapsed = System.nanoTime() - start;
        if (result.exitCode() != 0) {
          throw new IllegalStateException(isolation + " step failed: " + result);
        }
        if (i >= 0) {
          nanos[i] = elapsed;
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "%-7s runs=%d  median=%.1f ms  p90=%.1f ms  min=%.1f ms  (%s)%n",
          isolation.flag(),
          runs,
          nanos[runs / 2] / 1e6,
          nanos[runs * 9 / 10] / 1e6,
          nanos[0] / 1e6,
          sandbox.describe());
    }
  }
}
