package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.layer.LayerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist on a full disk: a small tmpfs as the store of {@code pull} and {@code build}, and as the
 * destination of {@code -o type=local}. Each fails in one line that names the write and says to
 * free space, exit 1, without retrying; the store passes fsck, holds no partial blob and no new
 * tag; once the tmpfs is grown the same command succeeds.
 */
class DiskFullTest {
  /** One fixed mount point, unmounted after each test; never built from a variable. */
  private static final Path MOUNT = Path.of("/tmp/hoist-disk-full-test");

  private static final int MIB = 1 << 20;

  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir static Path shared;
  @TempDir Path tmp;
  static Reference noisy;

  @BeforeAll
  static void images() throws IOException {
    noisy = pushNoise(shared.resolve("noisy"), 12 * MIB);
  }

  @AfterEach
  void unmount() throws Exception {
    Process mounted = new ProcessBuilder("mountpoint", "-q", MOUNT.toString()).start();
    if (mounted.waitFor() == 0) {
      sh("umount", "/tmp/hoist-disk-full-test"); // a literal: never a path built at run time
    }
  }

  @Test
  void pull_ontoAFullStore_failsOnceInOneLineAndSucceedsAfterSpaceIsFreed() throws Exception {
    mountTmpfs("8m");
    Path root = MOUNT.resolve("store");

    Instant start = Instant.now();
    HoistRunner.Result full = hoist(root, "pull", noisy.toString());

    assertFailedForSpace(full);
    assertTrue(
        Duration.between(start, Instant.now()).toSeconds() < 20,
        "a full disk is not retried like a broken connection");
    assertStoreWhole(root, noisy.toString());

    grow("64m");
    HoistRunner.Result again = hoist(root, "pull", noisy.toString());
    assertEquals(0, again.status(), again.stderr());
  }

  @Test
  void build_withAFullStore_failsInOneLineAndSucceedsAfterSpaceIsFreed() throws Exception {
    mountTmpfs("16m");
    Path root = MOUNT.resolve("store");
    // The 8 MB the step writes fit in its upper dir; the layer made of them does not fit beside.
    Path context = context("RUN head -c 8000000 /dev/urandom > /noise\n");
    String[] args = BuildFixtures.buildArgs(base.busybox(), "-t", "full:1", context.toString());

    HoistRunner.Result full = hoist(root, args);

    assertFailedForSpace(full);
    assertStoreWhole(root, "full:1");

    grow("64m");
    HoistRunner.Result again = hoist(root, args);
    assertEquals(0, again.status(), again.stderr());
  }

  @Test
  void localExport_ontoAFullDisk_failsInOneLineAndSucceedsAfterSpaceIsFreed() throws Exception {
    mountTmpfs("8m");
    Path root = tmp.resolve("store");
    Path context = context("RUN head -c 12000000 /dev/urandom > /noise\n");
    Path dest = MOUNT.resolve("out");
    String[] args =
        BuildFixtures.buildArgs(
            base.busybox(), "-o", "type=local,dest=" + dest, context.toString());

    HoistRunner.Result full = hoist(root, args);

    assertFailedForSpace(full);
    assertTrue(full.stderr().contains("hoist: export to " + dest + ": "), full.stderr());
    assertStoreWhole(root, "none:none");

    grow("64m");
    HoistRunner.Result again = hoist(root, args);
    assertEquals(0, again.status(), again.stderr());
    assertEquals(12_000_000, Files.size(dest.resolve("noise")));
  }

  private static void assertFailedForSpace(HoistRunner.Result r) {
    assertEquals(1, r.status(), r.stdout() + r.stderr());
    List<String> errors = r.stderr().lines().filter(l -> l.startsWith("hoist: ")).toList();
    assertEquals(1, errors.size(), r.stderr());
    String line = errors.get(0);
    System.out.println("disk full: " + line);
    assertTrue(line.contains("No space left on device"), line);
    assertTrue(line.endsWith("(free space on that filesystem and run the command again)"), line);
    assertFalse(line.contains("try again"), "not reported as a network fault: " + line);
    assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
  }

  /** fsck passes (every blob matches its digest), no temp file is left, the tag is absent. */
  private void assertStoreWhole(Path root, String tag) throws IOException {
    HoistRunner.Result fsck = hoist(root, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
    try (Store store = Store.open(root)) {
      assertEquals(Optional.empty(), store.find(Reference.parse(tag)), tag + " is tagged");
      try (Stream<Path> temps = Files.list(store.tempDir())) {
        assertEquals(List.of(), temps.toList(), "partial files left in the store's temp dir");
      }
    }
  }

  private HoistRunner.Result hoist(Path root, String... args) {
    return HoistRunner.inStore(
        Map.of("DOCKER_CONFIG", tmp.resolve("docker").toString()), root, args);
  }

  private Path context(String run) throws IOException {
    return BuildFixtures.context(tmp.resolve("context"), run);
  }

  private static void mountTmpfs(String size) throws Exception {
    Files.createDirectories(MOUNT);
    sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", MOUNT.toString());
  }

  private static void grow(String size) throws Exception {
    sh("mount", "-o", "remount,size=" + size, MOUNT.toString());
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** Pushes a one-layer image holding {@code size} random bytes (so gzip cannot shrink it). */
  private static Reference pushNoise(Path work, int size) throws IOException {
    Path rootfs = Files.createDirectories(work.resolve("rootfs"));
    byte[] noise = new byte[size];
    new Random(7).nextBytes(noise);
    Files.write(rootfs.resolve("noise"), noise);
    try (Store seed = Store.open(work.resolve("seed-store"))) {
      LayerFile layer = BuildFixtures.putLayer(seed, rootfs);
      Instant created = Instant.parse("2024-01-01T00:00:00Z");
      ImageConfig config =
          new ImageConfig.Builder(Platform.host())
              .created(Optional.of(created))
              .addLayer(layer.layer().diffId(), History.of(created, "noise", null, false))
              .build();
      return BuildFixtures.push(
          base.registry(), seed, BuildFixtures.layerBlob(seed, layer), config, "noisy:latest");
    }
  }
}
