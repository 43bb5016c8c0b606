package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistJvm;
import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.runtime.Mount;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code RUN --mount=type=cache,id=...} with hostile ids and options (the buildah CVE-2024-9675
 * pattern): whatever the id, the mounted directory is inside the store's cache dir and nothing is
 * created outside it; {@code from=} and {@code source=} cannot point a cache mount elsewhere; a bad
 * {@code uid}, {@code gid} or {@code mode} is one line.
 */
class CacheMountIdTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  static Stream<String> hostileIds() {
    return Stream.of(
        "../escape",
        "../../../../../../../../tmp/hoist-cache-escape",
        "..",
        ".",
        "/",
        "/etc",
        "/tmp/hoist-cache-escape",
        "a/../../b",
        "x".repeat(10_000));
  }

  @ParameterizedTest
  @MethodSource("hostileIds")
  void hostileId_mountsADirectoryInsideTheCacheAndCreatesNothingOutside(String id)
      throws IOException {
    Path cacheRoot = Files.createDirectories(tmp.resolve("store/cache"));
    Path sentinel = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(sentinel.resolve("keep"), "keep");
    Set<Path> before = tree(tmp, cacheRoot);

    Mount mount = prepareCache("type=cache,target=/cache,id=" + id);

    Path source = mount.source().orElseThrow().toRealPath();
    assertEquals(
        cacheRoot.resolve("mounts").toRealPath(),
        source.getParent(),
        "mount source " + source + " must be a direct child of the cache's mounts dir");
    assertEquals(before, tree(tmp, cacheRoot), "nothing created or removed outside the cache");
    assertTrue(Files.notExists(Path.of("/tmp/hoist-cache-escape")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "type=cache,target=/cache,from=other,source=/",
        "type=cache,target=/cache,source=../../../..",
        "type=cache,target=/cache,from=other,src=etc,id=../../etc"
      })
  void fromAndSource_areIgnoredForCacheMounts(String spec) throws IOException {
    Path cacheRoot = Files.createDirectories(tmp.resolve("store/cache"));

    Mount mount = prepareCache(spec);

    assertEquals(
        cacheRoot.resolve("mounts").toRealPath(),
        mount.source().orElseThrow().toRealPath().getParent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "uid=abc",
        "gid=-1",
        "uid=99999999999",
        "mode=999",
        "mode=rwxr-xr-x",
        "mode=100000"
      })
  void badNumericOption_failsInOneLineNamingIt(String option) throws IOException {
    Files.createDirectories(tmp.resolve("store/cache"));
    String key = option.substring(0, option.indexOf('='));

    BuildException e =
        assertThrows(
            BuildException.class, () -> prepareCache("type=cache,target=/cache," + option));

    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().startsWith("Dockerfile:3: "), e.getMessage());
    assertTrue(e.getMessage().contains(option + " is not"), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void build_cacheIdClimbingOut_staysInTheStoreAndPersistsBetweenBuilds() throws IOException {
    Path root = tmp.resolve("store");
    Path context =
        BuildFixtures.context(
            tmp.resolve("context"),
            """
        RUN --mount=type=cache,target=/c,id=../../../../../../../../../tmp/hoist-escape-e2e,\
        uid=1000,gid=1000,mode=0700 \
            echo run >> /c/runs && wc -l < /c/runs > /seen && stat -c '%u:%g:%a' /c > /owner
        """);
    Set<Path> before = tree(tmp, root);
    String[] args =
        BuildFixtures.buildArgs(base.busybox(), "--no-cache", "-t", "escape:1", context.toString());

    for (int i = 0; i < 2; i++) {
      HoistRunner.Result r = HoistRunner.inStore(root, args);
      assertEquals(0, r.status(), r.stderr());
    }

    try (Store store = Store.open(root)) {
      Path fs = BuildFixtures.unpack(store, store.resolve("escape:1"), tmp.resolve("fs"));
      assertEquals("2", Files.readString(fs.resolve("seen")).strip(), "cache kept run 1");
      assertEquals("1000:1000:700", Files.readString(fs.resolve("owner")).strip());
    }
    Set<Path> after = tree(tmp, root);
    after.removeIf(p -> p.startsWith(tmp.resolve("fs")));
    assertEquals(before, after, "nothing created outside the store");
    assertTrue(Files.notExists(Path.of("/tmp/hoist-escape-e2e")));
  }

  @Test
  void pruneCache_whileAStepWritesToItsCacheMount_neitherFails() throws Exception {
    Path root = tmp.resolve("store");
    // The step writes into its cache mount for about 4 s; prune --cache runs in the middle.
    Path context =
        BuildFixtures.context(
            tmp.resolve("context"),
            """
        RUN --mount=type=cache,target=/c,id=busy \
            i=0; while [ $i -lt 80 ]; do mkdir -p /c/d$i && echo $i > /c/d$i/f; \
            sleep 0.05; i=$((i+1)); done; ls /c | wc -l > /count
        """);
    Process build =
        HoistJvm.start(
            tmp,
            root,
            tmp.resolve("build.log"),
            BuildFixtures.buildArgs(base.busybox(), "-t", "busy:1", context.toString()));
    Path mounts = root.resolve(".hoist/cache/mounts");
    for (int i = 0; i < 600 && !stepHasWritten(mounts); i++) {
      Thread.sleep(50);
    }
    assertTrue(stepHasWritten(mounts), Files.readString(tmp.resolve("build.log")));

    HoistRunner.Result prune = HoistRunner.inStore(root, "prune", "--cache");

    assertEquals(0, prune.status(), prune.stderr());
    assertTrue(build.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "build hung");
    assertEquals(0, build.exitValue(), Files.readString(tmp.resolve("build.log")));
    try (Store store = Store.open(root)) {
      Path fs = BuildFixtures.unpack(store, store.resolve("busy:1"), tmp.resolve("fs"));
      assertEquals("80", Files.readString(fs.resolve("count")).strip(), "the step kept its dir");
    }
    HoistRunner.Result fsck = HoistRunner.inStore(root, "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());

    // With the build gone, prune --cache deletes the directory (its lock file stays).
    HoistRunner.Result idle = HoistRunner.inStore(root, "prune", "--cache");
    assertEquals(0, idle.status(), idle.stderr());
    try (Stream<Path> left = Files.list(mounts)) {
      assertEquals(
          List.of(),
          left.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList(),
          "prune --cache kept an unused cache mount");
    }
  }

  private static boolean stepHasWritten(Path mounts) throws IOException {
    if (!Files.isDirectory(mounts)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(mounts)) {
      return walk.anyMatch(p -> p.getFileName().toString().equals("d3"));
    }
  }

  private Mount prepareCache(String spec) throws IOException {
    RunMounts.Prepared prepared =
        RunMounts.prepare(
            List.of(spec),
            "Dockerfile:3",
            tmp.resolve("store/cache"),
            Optional.empty(),
            Map.of(),
            Map.of(),
            tmp,
            from -> {
              throw new AssertionError("a cache mount resolved from=" + from);
            });
    assertEquals(1, prepared.mounts().size());
    return prepared.mounts().get(0);
  }

  /** Every path under {@code dir} except those under {@code excluded}. */
  private static Set<Path> tree(Path dir, Path excluded) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.startsWith(excluded))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }
}
