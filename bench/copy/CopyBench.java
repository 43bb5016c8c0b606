import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.copy.Copier;
import dev.hoist.builder.copy.CopyResult;
import dev.hoist.builder.copy.CopySpec;
import dev.hoist.builder.copy.FileSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * COPY throughput on a generated context: hoist's input digest and staging next to {@code cp -a}
 * and {@code sha256sum}.
 *
 * <p>Usage: java -cp CLASSPATH CopyBench.java WORKDIR [files] [megabytes] [runs]
 */
public class CopyBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/var/tmp/hoist-copy-bench");
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    long megabytes = args.length > 2 ? Long.parseLong(args[2]) : 200;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    delete(work);
    Path ctx = Files.createDirectories(work.resolve("ctx"));
    long bytes = generate(ctx.resolve("src"), files, megabytes << 20, 20240601L);
    System.out.printf(
        "context: %d files, %.1f MB; median of %d runs after a warm-up; load average %.1f on %d"
            + " cpus%n%n",
        files,
        bytes / 1e6,
        runs,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    CopySpec spec =
        new CopySpec(
            new FileSource.Context(ctx, IgnoreMatcher.NONE),
            List.of("src"),
            "/app/",
            "/",
            Optional.empty(),
            Optional.empty(),
            false,
            List.of(),
            List.of(),
            false,
            Optional.empty(),
            Optional.empty(),
            List.of(),
            "Dockerfile:1");
    Path out = work.resolve("out");
    row("hoist Copier.inputDigest", bytes, runs, () -> Copier.inputDigest(spec));
    row(
        "sha256sum (all files, 1 process)",
        bytes,
        runs,
        () -> sh("cd " + ctx + " && find src -type f -print0 | xargs -0 sha256sum >/dev/null"));
    row(
        "hoist Copier.stage",
        bytes,
        runs,
        () -> {
          delete(out);
          Files.createDirectories(out);
          CopyResult r = Copier.stage(spec, out);
          return r;
        });
    row(
        "cp -a",
        bytes,
        runs,
        () -> {
          delete(out);
          Files.createDirectories(out.resolve("app"));
          return sh("cp -a " + ctx.resolve("src") + "/. " + out.resolve("app"));
        });
    delete(work);
  }

  static void row(String name, long bytes, int runs, Callable<?> task) throws Exception {
    task.call(); // warm-up (page cache, JIT)
    double[] secs = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      task.call();
      secs[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(secs);
    double median = secs[runs / 2];
    System.out.printf("%-36s %7.3f s  %7.1f MB/s%n", name, median, bytes / 1e6 / median);
  }

  static int sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException(command + " exited " + rc);
    }
    return rc;
  }

  /** {@code files} files in nested dirs, sizes skewed so that a few hold most of the bytes. */
  static long generate(Path root, int files, long total, long seed) throws IOException {
    Random random = new Random(seed);
    long small = Math.min(4096, total / (files * 2L));
    long big = Math.max(0, total - small * (files - 10)) / 10;
    long written = 0;
    byte[] buf = new byte[1 << 16];
    for (int i = 0; i < files; i++) {
      Path dir = root.resolve("d" + (i % 50)).resolve("e" + (i % 7));
      Files.createDirectories(dir);
      long size = i < 10 ? big : small;
      try (OutputStream o = Files.newOutputStream(dir.resolve("f" + i))) {
        for (long left = size; left > 0; ) {
          random.nextBytes(buf);
          int n = (int) Math.min(buf.length, left);
          o.write(buf, 0, n);
          left -= n;
        }
      }
      written += size;
    }
    return written;
  }

  static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      List<Path> paths = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
      for (Path q : paths) {
        Files.delete(q);
      }
    }
  }
}
