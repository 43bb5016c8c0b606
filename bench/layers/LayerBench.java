import dev.hoist.image.Compression;
import dev.hoist.image.Digest;
import dev.hoist.store.layer.ApplyOptions;
import dev.hoist.store.layer.LayerApplier;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Layer write and apply throughput of hoist next to GNU tar on the same generated tree.
 *
 * <p>Usage: java -cp CLASSPATH LayerBench.java WORKDIR [files] [megabytes] [runs]
 */
public class LayerBench {
  static final Digest LABEL = Digest.sha256(new byte[0]);

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "/tmp/hoist-layer-bench");
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    long megabytes = args.length > 2 ? Long.parseLong(args[2]) : 200;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    deleteTree(work);
    Path tree = Files.createDirectories(work.resolve("tree"));
    long bytes = generate(tree, files, megabytes << 20, 20240601L);
    System.out.printf(
        "tree: %d files, %.1f MB; median of %d runs after a warm-up; load average %.1f on %d cpus%n%n",
        files, bytes / 1e6, runs,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());

    List<String[]> rows = new ArrayList<>();
    for (Object[] c :
        new Object[][] {
          {"gzip -6 (default)", LayerOptions.defaults()},
          {"gzip -1", LayerOptions.defaults().withGzipLevel(1)},
          {"zstd -3", LayerOptions.defaults().withCompression(Compression.ZSTD)},
        }) {
      String name = (String) c[0];
      LayerOptions options = (LayerOptions) c[1];
      Path out = work.resolve("hoist.layer");
      long[] size = new long[1];
      double[] t =
          median(
              runs,
              () -> Files.deleteIfExists(out),
              () -> {
                LayerFile f = new LayerWriter(options).write(LayerSource.directory(tree), out);
                size[0] = f.layer().size();
                return (Double) null;
              });
      rows.add(row("hoist", "write " + name, t, bytes, size[0]));
      Path target = work.resolve("applied");
      double[] a =
          median(
              runs,
              () -> {
                deleteTree(target);
                Files.createDirectories(target);
              },
              () -> {
                try (InputStream in = Files.newInputStream(out)) {
                  new LayerApplier(ApplyOptions.tree(LABEL)).apply(in, target);
                }
                return (Double) null;
              });
      rows.add(row("hoist", "apply " + name, a, bytes, size[0]));
    }
    for (String[] c :
        new String[][] {
          {"gzip -6 (default)", "-z", "tar.gz"}, {"zstd -3 (default)", "--zstd", "tar.zst"},
        }) {
      Path out = work.resolve("gnu." + c[2]);
      double[] t =
          median(
              runs,
              () -> Files.deleteIfExists(out),
              () -> {
                return sh("tar", "-c", c[1], "--sort=name", "--numeric-owner", "--xattrs",
                    "-f", out.toString(), "-C", tree.toString(), ".");
              });
      rows.add(row("GNU tar", "write (tar -c " + c[1] + ") " + c[0], t, bytes, Files.size(out)));
      Path target = work.resolve("applied");
      double[] a =
          median(
              runs,
              () -> {
                deleteTree(target);
                Files.createDirectories(target);
              },
              () -> {
                return sh("tar", "-x", c[1], "--numeric-owner", "--xattrs", "--same-owner", "-p",
                    "-f", out.toString(), "-C", target.toString());
              });
      rows.add(row("GNU tar", "apply (tar -x " + c[1] + ") " + c[0], a, bytes, Files.size(out)));
    }
    System.out.println(
        "| tool | operation | wall s | CPU s | MB/s (wall) | MB/s (CPU) | compressed MB |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    deleteTree(work);
  }

  static String[] row(String tool, String op, double[] wallAndCpu, long bytes, long compressed) {
    return new String[] {
      tool,
      op,
      String.format("%.2f", wallAndCpu[0]),
      String.format("%.2f", wallAndCpu[1]),
      String.format("%.0f", bytes / 1e6 / wallAndCpu[0]),
      String.format("%.0f", bytes / 1e6 / wallAndCpu[1]),
      String.format("%.1f", compressed / 1e6)
    };
  }

  interface Step {
    void run() throws Exception;
  }

  /**
   * One warm-up, then the medians of wall time and CPU time over {@code runs} runs; setup is not
   * timed. A task returns its CPU seconds when it knows them (a child process), else null and the
   * JVM's CPU time is used (all threads: hoist compresses on a second thread; GC and JIT count).
   */
  static double[] median(int runs, Step setup, Callable<Double> task) throws Exception {
    setup.run();
    task.call();
    double[] wall = new double[runs];
    double[] cpu = new double[runs];
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < runs; i++) {
      setup.run();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      Double childCpu = task.call();
      wall[i] = (System.nanoTime() - start) / 1e9;
      cpu[i] = childCpu != null ? childCpu : (os.getProcessCpuTime() - cpuStart) / 1e9;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    return new double[] {wall[runs / 2], cpu[runs / 2]};
  }

  /**
   * {@code files} files in 100 directories, sizes drawn from a skewed distribution (most small, a
   * few large) scaled to {@code total} bytes; each file is half random (incompressible) and half
   * repetitive text, so the data compresses about 2:1 like a typical image.
   */
  static long generate(Path root, int files, long total, long seed) throws IOException {
    Random random = new Random(seed);
    double[] weights = new double[files];
    double sum = 0;
    for (int i = 0; i < files; i++) {
      weights[i] = Math.exp(random.nextGaussian() * 1.5);
      sum += weights[i];
    }
    byte[] noise = new byte[8 << 20];
    random.nextBytes(noise);
    byte[] text = new byte[8 << 20];
    String words = "the quick brown fox jumps over the lazy dog /usr/lib/x86_64-linux-gnu libc.so.6 ";
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) words.charAt((i * 7 + (i >> 10)) % words.length());
    }
    long written = 0;
    for (int i = 0; i < files; i++) {
      Path dir = Files.createDirectories(root.resolve(String.format("d%02d/s%d", i % 100, i % 7)));
      long size = Math.max(0, Math.round(weights[i] / sum * total));
      try (OutputStream out = Files.newOutputStream(dir.resolve("f" + i))) {
        long left = size;
        boolean flip = false;
        while (left > 0) {
          int n = (int) Math.min(left, 4096);
          byte[] src = flip ? noise : text;
          int off = random.nextInt(src.length - n);
          out.write(src, off, n);
          left -= n;
          flip = !flip;
        }
      }
      written += size;
    }
    return written;
  }

  /** Runs a command under /usr/bin/time and returns its user+system CPU seconds. */
  static Double sh(String... command) throws IOException, InterruptedException {
    List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "CPU %U %S"));
    timed.addAll(List.of(command));
    Process p = new ProcessBuilder(timed).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + out);
    }
    String[] last = out.strip().lines().reduce((a, b) -> b).orElse("").split(" ");
    return Double.parseDouble(last[1]) + Double.parseDouble(last[2]);
  }

  static void rm(Path p) throws IOException, InterruptedException {
    Process proc = new ProcessBuilder("rm", "-rf", p.toString()).inheritIO().start();
    if (proc.waitFor() != 0) {
      throw new IOException("rm -rf " + p + " failed");
    }
  }

  static void deleteTree(Path p) throws IOException, InterruptedException {
    if (Files.exists(p)) {
      rm(p);
    }
  }
}
