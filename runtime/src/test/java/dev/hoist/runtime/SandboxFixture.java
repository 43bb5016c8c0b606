package dev.hoist.runtime;

import dev.hoist.testkit.BusyboxRootfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A 5-layer busybox image and fresh overlay uppers for sandbox tests. */
final class SandboxFixture {
  final Path base;
  final List<Path> layers;
  final Path workRoot;
  private final AtomicInteger counter = new AtomicInteger();

  SandboxFixture(Path base) throws IOException {
    this.base = base;
    this.layers = BusyboxRootfs.createLayers(base.resolve("snapshots"), 5);
    this.workRoot = Files.createDirectories(base.resolve("work"));
  }

  /** A new overlay rootfs over the busybox layers with an empty upper dir. */
  Rootfs.Overlay overlay() throws IOException {
    Path step = Files.createDirectories(base.resolve("steps/" + counter.incrementAndGet()));
    return new Rootfs.Overlay(
        layers,
        Files.createDirectory(step.resolve("upper")),
        Files.createDirectory(step.resolve("work")));
  }

  /** What a run printed. */
  record Output(int exitCode, String stdout, String stderr, boolean timedOut) {}

  static Output run(Sandbox sandbox, RunSpec.Builder spec)
      throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunResult result = sandbox.run(spec.stdout(out).stderr(err).build());
    return new Output(
        result.exitCode(),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        result.timedOut());
  }
}
