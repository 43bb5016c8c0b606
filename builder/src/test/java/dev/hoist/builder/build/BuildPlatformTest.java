package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.Platform;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hoist build --platform}: one platform only, and never an image whose config or files are
 * of another platform than asked, through the real CLI against a real registry.
 */
class BuildPlatformTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  /** A platform this machine does not run: arm64 on amd64 machines, amd64 elsewhere. */
  private static final Platform FOREIGN =
      Platform.host().architecture().equals("amd64")
          ? Platform.of("linux", "arm64")
          : Platform.of("linux", "amd64");

  private HoistRunner.Result build(Path context, String... extra) {
    return base.build(tmp.resolve("store"), context, extra);
  }

  @Test
  void aListOfPlatforms_isRefusedAsUsage_andNothingIsBuilt() throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");

    HoistRunner.Result r = build(context, "--platform", "linux/amd64,linux/arm64", "-t", "multi:1");

    assertEquals(2, r.status(), r.stderr());
    assertTrue(r.stderr().contains("one platform at a time"), r.stderr());
    try (Store store = Store.open(tmp.resolve("store"))) {
      assertTrue(store.images().isEmpty());
    }
  }

  @Test
  void aSinglePlatformBaseOfAnotherPlatform_isRefusedNamingTheBaseAndWhatItIs() throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "COPY Dockerfile /x\n");

    HoistRunner.Result r = build(context, "--platform", FOREIGN.toString(), "-t", "wrong:1");

    assertEquals(1, r.status(), r.stderr());
    String line = r.stderr().strip();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("base image " + base.busybox().familiar()), line);
    assertTrue(line.contains("is " + Platform.host() + ", not " + FOREIGN), line);
  }

  @Test
  void aCopyOnlyBuildFromScratch_forAnotherPlatform_isAnImageOfThatPlatform() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("scratch"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /x\n");

    HoistRunner.Result r = build(context, "--platform", FOREIGN.toString(), "-t", "foreign:1");

    assertEquals(0, r.status(), r.stderr());
    try (Store store = Store.open(tmp.resolve("store"))) {
      assertEquals(FOREIGN, store.resolve("foreign:1").config().platform());
    }
  }

  @Test
  void aRunStepForAPlatformThisMachineCannotExecute_isRefusedBeforeAnyStepRuns()
      throws IOException {
    Path context = Files.createDirectories(tmp.resolve("scratch"));
    Files.writeString(
        context.resolve("Dockerfile"), "FROM scratch\nCOPY Dockerfile /x\nRUN [\"/x\"]\n");

    HoistRunner.Result r = build(context, "--platform", FOREIGN.toString());

    assertEquals(1, r.status(), r.stderr());
    assertTrue(
        r.stderr().contains("Dockerfile:3: RUN would have to execute " + FOREIGN), r.stderr());
    assertTrue(!r.stderr().contains("COPY Dockerfile"), "no step started: " + r.stderr());
  }
}
