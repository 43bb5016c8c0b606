package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Descriptor;
import dev.hoist.image.History;
import dev.hoist.image.ImageConfig;
import dev.hoist.image.Manifest;
import dev.hoist.image.MediaTypes;
import dev.hoist.image.Platform;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.layer.LayerFile;
import dev.hoist.store.layer.LayerOptions;
import dev.hoist.store.layer.LayerSource;
import dev.hoist.store.layer.LayerWriter;
import dev.hoist.testkit.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hoist run} of a busybox image made in code, on both isolation backends (real runc, real
 * namespaces; needs root as CI runs): CMD output and exit code, and -e, -w, -u, -v, --entrypoint as
 * docker run has them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunCommandTest {
  Path root;
  Path dir;

  record Result(int status, String out, String err) {}

  @BeforeAll
  void storeWithBusybox(@TempDir Path tmp) throws Exception {
    dir = tmp;
    root = tmp.resolve("store");
    Path rootfs = BusyboxRootfs.create(tmp.resolve("busybox-rootfs"));
    try (Store store = Store.open(root)) {
      LayerFile layer =
          new LayerWriter(LayerOptions.defaults())
              .write(
                  LayerSource.directory(rootfs),
                  store.tempDir().resolve(UUID.randomUUID() + ".tar.gz"));
      Descriptor blob =
          store.putTempFile(layer.path(), layer.layer().mediaType(), layer.layer().digest());
      Instant created = Instant.parse("2024-01-01T00:00:00Z");
      ImageConfig config =
          new ImageConfig.Builder(Platform.host())
              .created(Optional.of(created))
              .config(
                  ContainerConfig.EMPTY.toBuilder()
                      .env(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "FOO=from-image"))
                      .workingDir(Optional.of("/srv"))
                      .cmd(Optional.of(List.of("sh", "-c", "echo cmd says $FOO in $(pwd); exit 3")))
                      .build())
              .addLayer(layer.layer().diffId(), History.of(created, "busybox", null, false))
              .build();
      Descriptor configBlob = store.putBytes(MediaTypes.OCI_CONFIG, config.raw());
      Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, configBlob, List.of(blob));
      store.tag(
          Reference.parse("busybox:latest"),
          store.putBytes(MediaTypes.OCI_MANIFEST, manifest.raw()));
    }
  }

  Result hoist(String... args) {
    HoistRunner.Result r = HoistRunner.inStore(Map.of("HOST_VAR", "from-host"), root, args);
    return new Result(r.status(), r.stdout(), r.stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_printsWhatCmdPrintsAndReturnsItsExitCode(String isolation) {
    Result r = hoist("run", "--rm", "--isolation", isolation, "busybox");
    assertEquals("cmd says from-image in /srv\n", r.out(), r.err());
    assertEquals(3, r.status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_appliesEnvWorkdirAndUserAsDockerRunDoes(String isolation) {
    Result r =
        hoist(
            "run",
            "--isolation",
            isolation,
            "-e",
            "FOO=from-cli",
            "-e",
            "HOST_VAR",
            "-w",
            "/tmp/new",
            "-u",
            "app",
            "busybox",
            "sh",
            "-c",
            "echo $FOO $HOST_VAR; pwd; id");
    assertEquals(0, r.status(), r.err());
    assertEquals(
        "from-cli from-host\n/tmp/new\nuid=1000(app) gid=1000(app) groups=50(staff)\n", r.out());
  }

  @Test
  void run_tmpfsWithDockersOptions_isRefusedRatherThanMountedAtAPathWithAColon() {
    Result r = hoist("run", "--tmpfs", "/scratch:size=1m", "busybox", "true");
    assertEquals(1, r.status(), r.err());
    assertEquals(
        "hoist: --tmpfs /scratch:size=1m: hoist run takes a path only, without :OPTIONS;"
            + " remove them",
        r.err().strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_bindsVolumesReadWriteAndReadOnly(String isolation) throws Exception {
    Path rw = Files.createDirectories(dir.resolve(isolation + "-rw"));
    Path ro = Files.createDirectories(dir.resolve(isolation + "-ro"));
    Result r =
        hoist(
            "run",
            "--isolation",
            isolation,
            "-v",
            rw + ":/data",
            "-v",
            ro + ":/config:ro",
            "busybox",
            "sh",
            "-c",
            "echo saved > /data/out; touch /config/x 2>/dev/null || echo read-only");
    assertEquals(0, r.status(), r.err());
    assertEquals("read-only\n", r.out());
    assertEquals("saved\n", Files.readString(rw.resolve("out")));
    assertFalse(Files.exists(ro.resolve("x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_entrypointReplacesTheImagesCommand(String isolation) {
    Result r = hoist("run", "--isolation", isolation, "--entrypoint", "echo", "busybox", "hi");
    assertEquals(0, r.status(), r.err());
    assertEquals("hi\n", r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_leavesNoScratchDirsInTheStore(String isolation) throws Exception {
    assertEquals(0, hoist("run", "--isolation", isolation, "busybox", "true").status());
    try (Stream<Path> left = Files.list(root.resolve(".hoist/work"))) {
      assertTrue(
          left.noneMatch(p -> !p.getFileName().toString().startsWith(".")),
          "scratch or run dirs left in the store");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chroot", "oci"})
  void run_unknownUserFailsWithOneLine(String isolation) {
    Result r = hoist("run", "--isolation", isolation, "-u", "ghost", "busybox", "id");
    assertEquals(1, r.status());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("unable to find user ghost"), r.err());
  }
}
