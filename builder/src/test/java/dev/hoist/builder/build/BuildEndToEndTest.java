package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hoist build} end to end, as a user runs it: the real CLI, a real registry serving a
 * busybox base image, real namespaces and overlayfs for RUN steps, then the image's config and
 * files checked.
 */
class BuildEndToEndTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  private HoistRunner.Result build(Path root, Path context, String... extra) {
    return base.build(root, context, extra);
  }

  private static Path copyOf(Path dir, Path to) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  @Test
  void multistage_buildsTheFinalStageWithFilesFromTheFirst() throws IOException {
    Path root = tmp.resolve("store");
    HoistRunner.Result r =
        build(root, BuildFixtures.DOCKERFILES.resolve("multistage"), "-t", "demo:1");

    assertEquals(0, r.status(), r.stderr());
    try (Store store = Store.open(root)) {
      StoredImage image = store.resolve("demo:1");
      ContainerConfig c = image.config().config();
      assertEquals(Optional.of("app"), c.user());
      assertEquals(Optional.of("/app"), c.workingDir());
      assertEquals(Optional.of(List.of("cat", "/app/out.txt")), c.cmd());
      assertEquals("multistage demo", c.labels().get("org.opencontainers.image.title"));
      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      String out = Files.readString(fs.resolve("app/out.txt"));
      assertTrue(out.contains("compiled lib/greet.txt: 13 bytes"), out);
      assertTrue(out.contains("hello from /src"), out);
      assertTrue(out.contains("input ./build.sh"), out);
      assertFalse(out.contains("debug.log"), ".dockerignore keeps **/*.log out: " + out);
      assertEquals(
          1000,
          Files.getAttribute(fs.resolve("app/greet.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
      assertFalse(
          Files.exists(fs.resolve("src")), "the build stage's files stay out of the final image");
    }
    assertTrue(r.stdout().strip().startsWith("sha256:"), r.stdout());
  }

  @Test
  void rebuild_withNothingChangedRunsNoStep_andAChangedFileRerunsOnlyWhatDependsOnIt()
      throws IOException {
    Path root = tmp.resolve("store");
    Path context = copyOf(BuildFixtures.DOCKERFILES.resolve("multistage"), tmp.resolve("ctx"));
    HoistRunner.Result first = build(root, context, "-t", "demo:1");
    assertEquals(0, first.status(), first.stderr());

    HoistRunner.Result again = build(root, context, "-t", "demo:1");
    assertEquals(0, again.status(), again.stderr());
    assertEquals(
        first.stdout().strip(),
        again.stdout().strip(),
        "as with BuildKit, a fully cached rebuild is the same image (same created times)");
    assertEquals(
        List.of("#2", "#3", "#4", "#6", "#7", "#8"),
        stepsThat(again.stderr(), "CACHED"),
        "every step but the two FROMs is cached:\n" + again.stderr());
    assertFalse(
        again.stderr().lines().anyMatch(l -> l.matches("#\\d+ \\d+\\.\\d{3} .*")),
        "no step printed output, so none ran:\n" + again.stderr());

    Files.writeString(context.resolve("src/lib/greet.txt"), "hello, changed world\n");
    HoistRunner.Result changed = build(root, context, "-t", "demo:1");
    assertEquals(0, changed.status(), changed.stderr());
    assertNotEquals(first.stdout().strip(), changed.stdout().strip());
    // --progress plain says why: the COPY that reads the file names it.
    assertTrue(
        changed.stderr().contains("cache miss: file /src/lib/greet.txt changed"), changed.stderr());

    HoistRunner.Result arg = build(root, context, "-t", "demo:1", "--build-arg", "GREETING=hi");
    assertEquals(0, arg.status(), arg.stderr());
    assertTrue(
        arg.stderr().contains("cache miss: build args or environment changed: GREETING"),
        arg.stderr());
    // Only WORKDIR /src (#2) comes before the changed file; everything after it reads it.
    assertEquals(List.of("#2"), stepsThat(changed.stderr(), "CACHED"), changed.stderr());
    assertEquals(
        List.of("#1", "#3", "#4", "#5", "#6", "#7", "#8"),
        stepsThat(changed.stderr(), "DONE"),
        changed.stderr());
  }

  private static List<String> stepsThat(String progress, String word) {
    return progress
        .lines()
        .filter(l -> l.matches("#\\d+ " + word + "( .*)?"))
        .map(l -> l.substring(0, l.indexOf(' ')))
        .toList();
  }

  @Test
  void sourceDateEpoch_makesTwoBuildsInDifferentDirectoriesIdentical() throws IOException {
    Path a = copyOf(BuildFixtures.DOCKERFILES.resolve("multistage"), tmp.resolve("a/ctx"));
    Path b = copyOf(BuildFixtures.DOCKERFILES.resolve("multistage"), tmp.resolve("b/project"));
    Files.setLastModifiedTime(
        b.resolve("src/build.sh"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    List<String> common =
        List.of("build", "--progress", "quiet", "--build-arg", "BASE=" + base.busybox(), "-q");

    HoistRunner.Result ra =
        HoistRunner.run(
            env,
            concat(
                List.of("--root", tmp.resolve("store-a").toString()),
                common,
                List.of(a.toString())));
    HoistRunner.Result rb =
        HoistRunner.run(
            env,
            concat(
                List.of("--root", tmp.resolve("store-b").toString()),
                common,
                List.of(b.toString())));

    assertEquals(0, ra.status(), ra.stderr());
    assertEquals(0, rb.status(), rb.stderr());
    assertEquals(ra.stdout().strip(), rb.stdout().strip());
  }

  private static String[] concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all.toArray(String[]::new);
  }

  @Test
  void instructions_setEveryConfigFieldAsDockerDoes() throws IOException {
    Path root = tmp.resolve("store");
    HoistRunner.Result r =
        build(root, BuildFixtures.DOCKERFILES.resolve("instructions"), "-t", "tool:1");

    assertEquals(0, r.status(), r.stderr());
    try (Store store = Store.open(root)) {
      StoredImage image = store.resolve("tool:1");
      ContainerConfig c = image.config().config();
      assertEquals(
          Optional.of("/opt/tool/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
          c.envValue("PATH"));
      assertEquals(Optional.of("/opt/tool"), c.envValue("TOOL_HOME"));
      assertEquals(Set.of("8080/tcp", "9090/udp"), c.exposedPorts());
      assertEquals(Set.of("/data"), c.volumes());
      assertEquals(Optional.of("SIGINT"), c.stopSignal());
      assertEquals(Optional.of(List.of("/bin/sh", "-e", "-c")), c.shell());
      assertEquals(Optional.of(List.of("tool")), c.entrypoint());
      assertEquals(Optional.of(List.of("--help")), c.cmd());
      assertEquals(List.of("RUN echo \"child image built\""), c.onBuild());
      assertEquals("1.0", c.labels().get("version"));
      assertEquals(Optional.of(Duration.ofSeconds(30)), c.healthcheck().orElseThrow().interval());
      assertEquals(Optional.of(4), c.healthcheck().orElseThrow().retries());
      assertEquals(Optional.of("hoist tests <tests@hoist.dev>"), image.config().author());
      assertEquals(Optional.of("/opt/tool"), c.workingDir());

      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      assertEquals("heredoc script ran\n", Files.readString(fs.resolve("var/lib/tool/state")));
      assertEquals("home=/opt/tool\n", Files.readString(fs.resolve("etc/tool.conf")));
      assertEquals("readme\n", Files.readString(fs.resolve("opt/tool/share/docs/README")));
      assertEquals(
          Path.of("/opt/tool/bin/tool"), Files.readSymbolicLink(fs.resolve("usr/bin/tool")));
      assertTrue(Files.isExecutable(fs.resolve("opt/tool/bin/tool")));
      var history = image.config().history();
      assertTrue(
          history.stream()
              .anyMatch(
                  h ->
                      h.createdBy()
                              .orElse("")
                              .equals(
                                  "ENV PATH=/opt/tool/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TOOL_HOME=/opt/tool")
                          && h.emptyLayer()),
          history.toString());
      assertEquals(
          image.manifest().layers().size(), history.stream().filter(h -> !h.emptyLayer()).count());
    }
  }

  @Test
  void mounts_cacheSurvivesBuildsAndSecretsNeverReachALayer() throws IOException {
    Path root = tmp.resolve("store");
    Path context = BuildFixtures.DOCKERFILES.resolve("mounts");
    Map<String, String> env = Map.of("TOKEN", "s3cret");
    String[] args = {
      "--root",
      root.toString(),
      "build",
      "--progress",
      "plain",
      "--build-arg",
      "BASE=" + base.busybox(),
      "--secret",
      "id=token,env=TOKEN",
      "-t",
      "mounts:1",
      context.toString()
    };

    HoistRunner.Result first = HoistRunner.run(env, args);
    assertEquals(0, first.status(), first.stderr());
    HoistRunner.Result second =
        HoistRunner.run(
            env,
            concat(
                List.of(args).subList(0, 5),
                List.of("--no-cache"),
                List.of(args).subList(5, args.length)));
    assertEquals(0, second.status(), second.stderr());

    try (Store store = Store.open(root)) {
      StoredImage image = store.resolve("mounts:1");
      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      assertEquals(
          "2",
          Files.readString(fs.resolve("runs-seen")).strip(),
          "the cache mount kept the first build's run");
      assertEquals(
          "6", Files.readString(fs.resolve("secret-length")).strip(), "the step read the secret");
      assertEquals(
          "1", Files.readString(fs.resolve("links")).strip(), "--network=none shows only lo");
      assertFalse(Files.exists(fs.resolve("run/secrets/token")), "no secret file in the image");
      assertFalse(
          Files.exists(fs.resolve("var/cache/app/runs")),
          "cache mount contents stay out of the image");
      assertFalse(Files.exists(fs.resolve("scratch")), "tmpfs mount point left no trace");
      for (var layer : image.manifest().layers()) {
        byte[] bytes = store.readBlob(layer.digest(), Long.MAX_VALUE);
        assertFalse(
            new String(
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))
                        .readAllBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("s3cret"),
            "secret bytes in layer " + layer.digest());
      }
      assertFalse(image.config().history().toString().contains("s3cret"));
    }
    assertFalse(first.stderr().contains("s3cret"));
    // Nor anywhere else in the store: cache keys and entries, snapshots, configs, index.json.
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(
            new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("s3cret"),
            "secret bytes in " + root.relativize(f));
      }
    }
  }

  @Test
  void outputs_writeArchivesThatSkopeoReadsAndTheRootFilesystem() throws Exception {
    Path context = BuildFixtures.DOCKERFILES.resolve("multistage");
    Path root = tmp.resolve("store");
    Path docker = tmp.resolve("image.tar");
    Path oci = tmp.resolve("image-oci.tar");
    Path local = tmp.resolve("rootfs");
    Path tar = tmp.resolve("rootfs.tar");

    assertEquals(
        0, build(root, context, "-t", "out:1", "-o", "type=docker,dest=" + docker).status());
    assertEquals(0, build(root, context, "-t", "out:1", "-o", "type=oci,dest=" + oci).status());
    assertEquals(0, build(root, context, "-o", "type=local,dest=" + local).status());
    assertEquals(0, build(root, context, "--output", "type=tar,dest=" + tar).status());

    String fromDocker =
        BuildFixtures.command(
            "skopeo", "inspect", "--format", "{{len .Layers}}", "docker-archive:" + docker);
    String fromOci =
        BuildFixtures.command(
            "skopeo", "inspect", "--format", "{{len .Layers}}", "oci-archive:" + oci);
    assertEquals("3", fromDocker.strip(), "busybox and two COPY layers; WORKDIR /app existed");
    assertEquals(fromDocker, fromOci);
    assertTrue(Files.readString(local.resolve("app/out.txt")).contains("hello from /src"));
    assertTrue(
        BuildFixtures.command("tar", "-tf", tar.toString())
            .lines()
            .anyMatch(l -> l.equals("app/out.txt")));
  }

  @Test
  void cacheTo_thenCacheFromOnAnEmptyStore_rebuildsWithEveryStepCached() throws IOException {
    Path context = BuildFixtures.DOCKERFILES.resolve("multistage");
    String cache = base.registry().host() + "/cache/multistage:latest";

    HoistRunner.Result first = build(tmp.resolve("runner-a"), context, "--cache-to", cache);
    HoistRunner.Result second =
        build(tmp.resolve("runner-b"), context, "--cache-from", "type=registry,ref=" + cache);

    assertEquals(0, first.status(), first.stderr());
    assertEquals(0, second.status(), second.stderr());
    assertEquals(
        List.of("#2", "#3", "#4", "#6", "#7", "#8"),
        stepsThat(second.stderr(), "CACHED"),
        second.stderr());
    try (Store a = Store.open(tmp.resolve("runner-a"));
        Store b = Store.open(tmp.resolve("runner-b"))) {
      assertEquals(
          a.resolve(first.stdout().strip()).manifest().layers(),
          b.resolve(second.stdout().strip()).manifest().layers(),
          "the second runner's image has the first one's layers");
    }
  }

  @Test
  void cacheFrom_aCacheThatDoesNotExistYet_isAnEmptyCache() throws IOException {
    HoistRunner.Result r =
        build(
            tmp.resolve("store"),
            BuildFixtures.DOCKERFILES.resolve("multistage"),
            "--cache-from",
            base.registry().host() + "/cache/never-written:latest");

    assertEquals(0, r.status(), r.stderr());
  }

  @Test
  void prune_keepsTheBuildCacheUnlessAsked() throws IOException {
    Path root = tmp.resolve("store");
    Path context = BuildFixtures.DOCKERFILES.resolve("multistage");
    assertEquals(0, build(root, context, "-t", "demo:1").status());

    HoistRunner.Result prune = HoistRunner.run(Map.of(), "--root", root.toString(), "prune");
    HoistRunner.Result afterPrune = build(root, context, "-t", "demo:1");
    HoistRunner.Result pruneAll =
        HoistRunner.run(Map.of(), "--root", root.toString(), "prune", "--cache");
    HoistRunner.Result afterPruneAll = build(root, context, "-t", "demo:1");

    assertEquals(0, prune.status(), prune.stderr());
    assertEquals(
        List.of("#2", "#3", "#4", "#6", "#7", "#8"),
        stepsThat(afterPrune.stderr(), "CACHED"),
        "the build stage's layers, named by no image, survived prune:\n" + afterPrune.stderr());
    assertEquals(0, pruneAll.status(), pruneAll.stderr());
    assertEquals(List.of(), stepsThat(afterPruneAll.stderr(), "CACHED"), afterPruneAll.stderr());
    HoistRunner.Result fsck = HoistRunner.run(Map.of(), "--root", root.toString(), "fsck");
    assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
  }

  @Test
  void onbuild_triggersOfTheBaseRunInTheChildAndAreNotHandedOn() throws IOException {
    Path root = tmp.resolve("store");
    Path parent = Files.createDirectories(tmp.resolve("parent"));
    Files.writeString(
        parent.resolve("Dockerfile"),
        "ARG BASE\nFROM $BASE\nONBUILD RUN echo triggered > /onbuild.txt\n");
    assertEquals(0, build(root, parent, "-t", "parent:1").status());
    Path child = Files.createDirectories(tmp.resolve("child"));
    Files.writeString(child.resolve("Dockerfile"), "FROM parent:1\nRUN test -f /onbuild.txt\n");

    HoistRunner.Result r = build(root, child, "-t", "child:1");

    assertEquals(0, r.status(), r.stderr());
    assertTrue(
        r.stderr().lines().anyMatch(l -> l.startsWith("WARNING:") && l.contains("BASE")),
        "the unused --build-arg BASE is reported:\n" + r.stderr());
    try (Store store = Store.open(root)) {
      StoredImage image = store.resolve("child:1");
      assertEquals(List.of(), image.config().config().onBuild());
      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      assertEquals("triggered\n", Files.readString(fs.resolve("onbuild.txt")));
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"oci", "chroot"})
  void aRunAfterTwoIdenticalCopies_mountsTheRepeatedLayerOnce(String isolation) throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(context.resolve("f"), "same\n");
    Files.writeString(
        context.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nCOPY f /f\nCOPY f /f\nRUN cat /f\n");

    HoistRunner.Result r = build(tmp.resolve("store"), context, "--isolation", isolation);

    assertEquals(0, r.status(), r.stderr());
    assertTrue(r.stderr().lines().anyMatch(l -> l.endsWith(" same")), r.stderr());
  }

  @Test
  void env_namesDockerAcceptsReachRunSteps() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        context.resolve("Dockerfile"),
        "ARG BASE\nFROM $BASE\nENV my.var=dotted\nRUN [\"/usr/bin/env\"]\n");

    HoistRunner.Result r = build(tmp.resolve("store"), context);

    assertEquals(0, r.status(), r.stderr());
    // Exec form: a shell would drop a name it cannot use, the step's process gets it as is.
    assertTrue(r.stderr().lines().anyMatch(l -> l.endsWith(" my.var=dotted")), r.stderr());
  }

  @Test
  void push_sendsEveryTagToItsRegistry() throws Exception {
    String name = base.registry().host() + "/pushed/app:1";
    HoistRunner.Result r =
        build(
            tmp.resolve("store"),
            BuildFixtures.DOCKERFILES.resolve("multistage"),
            "-t",
            name,
            "--push");

    assertEquals(0, r.status(), r.stderr());
    assertTrue(r.stderr().contains("pushed " + name + "@sha256:"), r.stderr());
    String layers =
        BuildFixtures.command(
            "skopeo",
            "inspect",
            "--tls-verify=false",
            "--format",
            "{{len .Layers}}",
            "docker://" + name);
    assertEquals("3", layers.strip());
  }

  @Test
  void bindMounts_fromAStageAndFromTheContext_areReadOnlyAndKeyedByWhatTheyRead()
      throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(context.resolve("input.txt"), "v1\n");
    Files.createSymbolicLink(context.resolve("escape"), Path.of("/etc"));
    Files.writeString(
        context.resolve("Dockerfile"),
        String.join(
            "\n",
            "ARG BASE",
            "FROM $BASE AS tools",
            "RUN echo from-tools > /tool.txt",
            "FROM $BASE",
            "RUN --mount=type=bind,from=tools,source=/tool.txt,target=/mnt/tool.txt \\",
            "    --mount=type=bind,source=input.txt,target=/mnt/input.txt \\",
            "    cat /mnt/tool.txt /mnt/input.txt > /seen && ! touch /mnt/input.txt 2>/dev/null",
            ""));
    Path root = tmp.resolve("store");

    HoistRunner.Result first = build(root, context, "-t", "bind:1");
    Files.writeString(context.resolve("input.txt"), "v2\n");
    HoistRunner.Result second = build(root, context, "-t", "bind:1");

    assertEquals(0, first.status(), first.stderr());
    assertEquals(0, second.status(), second.stderr());
    assertEquals(
        List.of("#2"),
        stepsThat(second.stderr(), "CACHED"),
        "only the tools RUN:\n" + second.stderr());
    try (Store store = Store.open(root)) {
      Path fs = BuildFixtures.unpack(store, store.resolve("bind:1"), tmp.resolve("fs"));
      assertEquals("from-tools\nv2\n", Files.readString(fs.resolve("seen")));
      assertFalse(Files.exists(fs.resolve("mnt/input.txt")), "mount points leave no trace");
    }

    Files.writeString(
        context.resolve("Dockerfile"),
        "ARG BASE\nFROM $BASE\nRUN --mount=type=bind,source=escape,target=/mnt cat /mnt/passwd\n");
    HoistRunner.Result escape = build(root, context);
    assertEquals(1, escape.status());
    assertTrue(escape.stderr().contains("leaves its root; refusing"), escape.stderr());
  }

  @Test
  void aFailingRun_namesTheLineAndExitCode_andTagsNothing() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        context.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nRUN echo about to fail && exit 3\n");
    Path root = tmp.resolve("store");

    HoistRunner.Result r = build(root, context, "-t", "broken:1");

    assertEquals(1, r.status());
    assertTrue(
        r.stderr()
            .contains("Dockerfile:3: RUN echo about to fail && exit 3 failed with exit code 3"),
        r.stderr());
    assertTrue(r.stderr().contains("about to fail"), r.stderr());
    try (Store store = Store.open(root)) {
      assertTrue(store.find(Reference.parse("broken:1")).isEmpty());
    }
  }

  @Test
  void aMissingCopySource_isOneClearLine() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(
        context.resolve("Dockerfile"), "ARG BASE\nFROM $BASE\nCOPY nothere.txt /app/\n");

    HoistRunner.Result r = build(tmp.resolve("store"), context);

    assertEquals(1, r.status());
    String last = r.stderr().lines().reduce((x, y) -> y).orElse("");
    assertTrue(last.startsWith("hoist: Dockerfile:3:") && last.contains("nothere.txt"), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace");
    assertNotEquals(0, r.status());
  }
}
