package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.runtime.SandboxFixture.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The behaviour every isolation backend must show, run against real namespaces, a real overlayfs
 * over a 5-layer busybox image and (for OCI) real runc. Needs root, as CI runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxContract {
  Path tmp;
  SandboxFixture fixture;
  Sandbox sandbox;

  abstract Isolation isolation();

  @BeforeAll
  void setUp(@TempDir Path dir) throws IOException {
    tmp = dir;
    fixture = new SandboxFixture(tmp);
    sandbox = Sandboxes.select(isolation(), fixture.workRoot);
    assertEquals(isolation(), sandbox.isolation());
  }

  Output sh(String script) throws Exception {
    return run(RunSpec.builder(fixture.overlay(), List.of("sh", "-c", script)));
  }

  Output run(RunSpec.Builder spec) throws Exception {
    return SandboxFixture.run(sandbox, spec);
  }

  @Test
  void step_isPid1AndSeesNoHostProcess() throws Exception {
    long hoistPid = ProcessHandle.current().pid();
    Output out = sh("echo $$; ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '");
    assertEquals(0, out.exitCode(), out.stderr());
    String[] lines = out.stdout().split("\n");
    assertEquals("1", lines[0]);
    Set<String> pids = Set.of(lines[1].trim().split(" "));
    assertTrue(pids.size() <= 6, "only the step's own processes: " + pids);
    assertFalse(pids.contains(Long.toString(hoistPid)), "hoist's pid visible: " + pids);
  }

  @Test
  void step_hasItsHostnameAndEtcFiles() throws Exception {
    Output out =
        run(
            RunSpec.builder(
                    fixture.overlay(),
                    List.of("sh", "-c", "hostname; cat /etc/hostname; cat /etc/hosts"))
                .hostname("builder-7")
                .addHost(HostEntry.parse("registry.test:10.1.2.3")));
    assertEquals(0, out.exitCode(), out.stderr());
    assertTrue(out.stdout().startsWith("builder-7\nbuilder-7\n"), out.stdout());
    assertTrue(out.stdout().contains("10.1.2.3\tregistry.test\n"), out.stdout());
    assertTrue(out.stdout().contains("127.0.0.1\tlocalhost\n"), out.stdout());
  }

  @Test
  void networkNone_hasOnlyLoopbackUp() throws Exception {
    Output out =
        run(
            RunSpec.builder(
                    fixture.overlay(),
                    List.of("sh", "-c", "ls /sys/class/net; cat /sys/class/net/lo/flags"))
                .network(Network.NONE));
    assertEquals(0, out.exitCode(), out.stderr());
    String[] lines = out.stdout().split("\n");
    assertEquals("lo", lines[0]);
    assertEquals(1, Integer.decode(lines[1]) & 1, "IFF_UP on lo: " + lines[1]);
  }

  @ParameterizedTest(name = "user ''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "''        | uid=0(root) gid=0(root) groups=10(wheel)",
        "root      | uid=0(root) gid=0(root) groups=10(wheel)",
        "app       | uid=1000(app) gid=1000(app) groups=50(staff)",
        "1000      | uid=1000(app) gid=1000(app) groups=50(staff)",
        "1000:50   | uid=1000(app) gid=50(staff)",
        "app:staff | uid=1000(app) gid=50(staff)",
        "app:0     | uid=1000(app) gid=0(root)",
        "nobody    | uid=65534(nobody) gid=65534(nogroup)",
        "4242      | uid=4242 gid=0(root)",
        "4242:4343 | uid=4242 gid=4343",
      })
  void user_isResolvedInTheImage(String user, String expected) throws Exception {
    Output out = run(RunSpec.builder(fixture.overlay(), List.of("id")).user(user));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals(expected, out.stdout().strip());
  }

  @Test
  void user_unknownNameIsRefusedWithOneLine() {
    SandboxException e =
        assertThrows(
            SandboxException.class,
            () -> run(RunSpec.builder(fixture.overlay(), List.of("id")).user("ghost")));
    assertTrue(e.getMessage().startsWith("unable to find user ghost"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void env_isExactlyTheSpecsPlusPathAndHome() throws Exception {
    Output out =
        run(
            RunSpec.builder(fixture.overlay(), List.of("env"))
                .env("FOO", "bar baz")
                .env("QUOTE", "it's $HOME \"x\""));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals(
        new TreeSet<>(
            List.of(
                "PATH=" + RunSpec.DEFAULT_PATH,
                "FOO=bar baz",
                "QUOTE=it's $HOME \"x\"",
                "HOME=/root")),
        new TreeSet<>(List.of(out.stdout().split("\n"))));
  }

  @Test
  void workdir_isCreatedAndKeptInTheLayer() throws Exception {
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        run(RunSpec.builder(rootfs, List.of("sh", "-c", "pwd; umask")).workdir("/srv/app/"));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals("/srv/app\n0022\n", out.stdout());
    assertTrue(Files.isDirectory(rootfs.upper().resolve("srv/app")));
  }

  @ParameterizedTest(name = "{0} exits {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "true                   | 0",
        "false                  | 1",
        "exit 42                | 42",
        "no-such-command        | 127",
        "sleep 30 & kill -9 $!; wait $! | 137",
      })
  void exitCode_isPassedBack(String script, int code) throws Exception {
    assertEquals(code, sh(script).exitCode());
  }

  @Test
  void exitCode_missingProgramIs127WithDockersMessage() throws Exception {
    Output out = run(RunSpec.builder(fixture.overlay(), List.of("no-such-program", "x")));
    assertEquals(127, out.exitCode());
    assertTrue(out.stderr().contains("executable file not found in $PATH"), out.stderr());
  }

  @Test
  void timeout_killsTheWholeTreeWith137() throws Exception {
    long before = System.nanoTime();
    Output out =
        run(
            RunSpec.builder(
                    fixture.overlay(),
                    List.of("sh", "-c", "sleep 1013 & sleep 1013 & echo started; wait"))
                .timeout(Duration.ofMillis(700)));
    assertEquals(137, out.exitCode());
    assertTrue(out.timedOut());
    assertEquals("started\n", out.stdout());
    assertTrue(Duration.ofNanos(System.nanoTime() - before).toSeconds() < 10);
    assertTrue(
        ProcessHandle.allProcesses()
            .noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 1013")),
        "a step process survived the timeout");
  }

  @Test
  void output_stdoutAndStderrAreKeptApartAndInOrder() throws Exception {
    Output out = sh("for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done");
    assertEquals("out1\nout2\nout3\nout4\nout5\n", out.stdout());
    assertEquals("err1\nerr2\nerr3\nerr4\nerr5\n", out.stderr());
  }

  @Test
  void output_isStreamedWhileTheStepRuns() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("stream"));
    OutputStream gate =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (new String(b, off, len, StandardCharsets.UTF_8).contains("first")) {
              Files.writeString(shared.resolve("go"), "go");
            }
          }
        };
    RunResult result =
        sandbox.run(
            RunSpec.builder(
                    fixture.overlay(),
                    List.of(
                        "sh", "-c", "echo first; while [ ! -e /shared/go ]; do sleep 0.05; done"))
                .mount(Mount.bind(shared, "/shared", true))
                .timeout(Duration.ofSeconds(20))
                .stdout(gate)
                .build());
    assertFalse(result.timedOut(), "the first line reached hoist only after the step ended");
    assertEquals(0, result.exitCode());
  }

  @Test
  void stdin_isClosed() throws Exception {
    Output out = run(RunSpec.builder(fixture.overlay(), List.of("sh", "-c", "cat; echo done")));
    assertEquals("done\n", out.stdout());
  }

  @Test
  void aLayerRepeated_isMountedOnceAndItsTopmostPlaceWins() throws Exception {
    // an image holding one layer twice, a different one between: A B A, top last
    Path a = Files.createDirectories(tmp.resolve("repeated/a"));
    Path b = Files.createDirectories(tmp.resolve("repeated/b"));
    Files.writeString(a.resolve("v"), "from a");
    Files.writeString(b.resolve("v"), "from b");
    Files.writeString(b.resolve("only-b"), "b");
    List<Path> lowers = new ArrayList<>(fixture.layers);
    lowers.addAll(List.of(a, b, a));
    Rootfs.Overlay base = fixture.overlay();
    Rootfs.Overlay rootfs = new Rootfs.Overlay(lowers, base.upper(), base.work());
    Output out = run(RunSpec.builder(rootfs, List.of("sh", "-c", "cat /v /only-b")));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals("from ab", out.stdout());
  }

  @Test
  void changes_landOnlyInTheUpperDirWithWhiteouts() throws Exception {
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        run(
            RunSpec.builder(
                rootfs,
                List.of(
                    "sh",
                    "-c",
                    "echo hi > /new.txt && rm /bin/ls && rm -r /home && echo x >> /etc/hosts"
                        + " && ls /proc/1 > /dev/null")));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals(Set.of("bin", "bin/ls", "home", "new.txt"), tree(rootfs.upper()));
    assertWhiteout(rootfs.upper().resolve("bin/ls"));
    assertWhiteout(rootfs.upper().resolve("home"));
    assertEquals("hi\n", Files.readString(rootfs.upper().resolve("new.txt")));
    for (Path lower : fixture.layers) {
      assertFalse(Files.exists(lower.resolve("new.txt")));
    }
    assertTrue(
        Files.exists(fixture.layers.get(1).resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS)
            || fixture.layers.stream()
                .anyMatch(l -> Files.exists(l.resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void plainDirectory_isChangedInPlaceAndMountPointsRemoved() throws Exception {
    Path dir = dev.hoist.testkit.BusyboxRootfs.create(tmp.resolve("plain-" + System.nanoTime()));
    Set<String> before = tree(dir);
    Output out =
        run(RunSpec.builder(new Rootfs.Directory(dir), List.of("sh", "-c", "echo hi > /x")));
    assertEquals(0, out.exitCode(), out.stderr());
    Set<String> after = tree(dir);
    after.remove("x");
    assertEquals(before, after);
  }

  @Test
  void mounts_bindReadWriteReadOnlyAndTmpfs() throws Exception {
    Path rw = Files.createDirectories(tmp.resolve("rw"));
    Path ro = Files.createDirectories(tmp.resolve("ro"));
    Files.writeString(ro.resolve("in.txt"), "host\n");
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        run(
            RunSpec.builder(
                    rootfs,
                    List.of(
                        "sh",
                        "-c",
                        "echo w > /mnt/rw/out.txt; cat /opt/ro/in.txt; "
                            + "touch /opt/ro/x 2>/dev/null && echo ro-writable; "
                            + "echo t > /scratch/t && cat /scratch/t"))
                .mount(Mount.bind(rw, "/mnt/rw", false))
                .mount(Mount.bind(ro, "/opt/ro", true))
                .mount(Mount.tmpfs("/scratch")));
    assertEquals("host\nt\n", out.stdout(), out.stderr());
    assertEquals("w\n", Files.readString(rw.resolve("out.txt")));
    assertFalse(Files.exists(ro.resolve("x")));
    assertEquals(Set.of(), tree(rootfs.upper()), "mount points must not stay in the layer");
  }

  @Test
  void overlayMounts_areWritableButLeaveTheSourceAndTheLayerUnchanged() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("cow-src"));
    Files.writeString(src.resolve("keep.txt"), "original\n");
    Files.writeString(src.resolve("gone.txt"), "deleted in the step only\n");
    Path file = Files.writeString(tmp.resolve("cow-file.txt"), "one\n");
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        run(
            RunSpec.builder(
                    rootfs,
                    List.of(
                        "sh",
                        "-c",
                        "echo changed > /src/keep.txt && mkdir /src/sub && echo new >"
                            + " /src/sub/new.txt && rm /src/gone.txt && echo two >> /one.txt"
                            + " && cat /src/keep.txt /src/sub/new.txt /one.txt /view/keep.txt"
                            + " && echo $(ls /src) / $(ls /view)"))
                .mount(Mount.overlay(src, "/src"))
                .mount(Mount.overlay(file, "/one.txt"))
                // Another mount of the same source sees none of those writes, as in BuildKit,
                // where every writable bind is a snapshot of its own.
                .mount(Mount.bind(src, "/view", true)));
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals(
        "changed\nnew\none\ntwo\noriginal\nkeep.txt sub / gone.txt keep.txt\n", out.stdout());
    assertEquals(Set.of("gone.txt", "keep.txt"), tree(src), "the source is untouched");
    assertEquals("original\n", Files.readString(src.resolve("keep.txt")));
    assertEquals("one\n", Files.readString(file));
    assertEquals(Set.of(), tree(rootfs.upper()), "the writes are not in the layer");

    Output failed =
        run(
            RunSpec.builder(
                    fixture.overlay(), List.of("sh", "-c", "echo lost > /src/keep.txt; exit 3"))
                .mount(Mount.overlay(src, "/src")));
    assertEquals(3, failed.exitCode(), failed.stderr());
    assertEquals("original\n", Files.readString(src.resolve("keep.txt")), "nor after a failure");
    try (Stream<Path> dirs = Files.list(fixture.workRoot)) {
      assertEquals(
          List.of(),
          dirs.filter(p -> p.getFileName().toString().startsWith(RunDir.PREFIX)).toList(),
          "the throw-away upper dirs are deleted with the step");
    }
  }

  @Test
  void mountPointsUnderExistingDirs_keepTheirOwnerAndMode() throws Exception {
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        run(
            RunSpec.builder(
                    rootfs, List.of("sh", "-c", "stat -c '%a %u' /tmp /root; ls -d /tmp/cache"))
                .mount(Mount.tmpfs("/tmp/cache"))
                .mount(Mount.tmpfs("/root/.cache/x")));
    assertEquals("1777 0\n700 0\n/tmp/cache\n", out.stdout(), out.stderr());
    assertEquals(Set.of(), tree(rootfs.upper()));
  }

  @Test
  void capabilities_areDockersDefaultWithNoNewPrivs() throws Exception {
    Output out = sh("grep -E '^(CapEff|CapBnd|CapInh|CapAmb|NoNewPrivs)' /proc/self/status");
    assertEquals(
        "CapInh:\t0000000000000000\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n"
            + "CapAmb:\t0000000000000000\nNoNewPrivs:\t1\n",
        out.stdout().replace("CapPrm:\t00000000a80425fb\n", ""));
    Output app =
        run(
            RunSpec.builder(
                    fixture.overlay(), List.of("grep", "-E", "^CapEff", "/proc/self/status"))
                .user("app"));
    assertEquals("CapEff:\t0000000000000000\n", app.stdout());
  }

  @Test
  void proc_hasDockersMaskedAndReadOnlyPaths() throws Exception {
    StringBuilder script = new StringBuilder();
    int masked = 0;
    for (String path : DockerDefaults.MASKED_PATHS) {
      if (Files.isDirectory(Path.of(path))) {
        script.append("ls ").append(path).append(" | wc -l; ");
        masked++;
      } else if (Files.exists(Path.of(path))) {
        script.append("wc -c < ").append(path).append("; ");
        masked++;
      }
    }
    script.append("echo 1 > /proc/sys/vm/drop_caches 2>/dev/null && echo sys-writable; ");
    script.append("echo x > /proc/sysrq-trigger 2>/dev/null && echo sysrq-writable; ");
    script.append("touch /sys/x 2>/dev/null && echo sysfs-writable; echo ok");
    assertTrue(masked >= 3, "this kernel should have some of Docker's masked paths");
    Output out = sh(script.toString());
    assertEquals("0\n".repeat(masked) + "ok\n", out.stdout().replaceAll("(?m)^ +", ""));
  }

  @Test
  void dev_isMinimalAndWorks() throws Exception {
    Output out =
        sh(
            "ls -A /dev | grep -v '^\\.hoist$' | tr '\\n' ' '; echo; head -c 8 /dev/urandom | wc"
                + " -c; ls /dev/pts | grep -c ptmx");
    assertEquals(0, out.exitCode(), out.stderr());
    String[] lines = out.stdout().split("\n");
    Set<String> devs = new TreeSet<>(List.of(lines[0].trim().split(" +")));
    for (String required :
        List.of(
            "null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue")) {
      assertTrue(devs.contains(required), required + " missing from " + devs);
    }
    assertTrue(devs.size() <= 16, "more than a minimal /dev: " + devs);
    assertEquals("8", lines[1].trim());
  }

  @Test
  void fileDescriptors_ofHoistDoNotReachTheStep() throws Exception {
    Output out = run(RunSpec.builder(fixture.overlay(), List.of("ls", "/proc/self/fd")));
    assertEquals(0, out.exitCode(), out.stderr());
    Set<String> fds = new TreeSet<>(List.of(out.stdout().trim().split("\\s+")));
    assertEquals(Set.of("0", "1", "2", "3"), fds, "3 is ls's own directory handle");
  }

  @Test
  void mountTable_ofTheHostIsUnchangedByASteps() throws Exception {
    String before = mountTable();
    assertEquals(0, sh("ls / > /dev/null").exitCode());
    assertEquals(before, mountTable());
    try (Stream<Path> dirs = Files.list(fixture.workRoot)) {
      assertEquals(
          List.of(),
          dirs.filter(p -> !p.getFileName().toString().startsWith("."))
              .collect(Collectors.toList()),
          "work dirs left behind");
    }
  }

  @Test
  void resources_memoryLimitKillsWith137() throws Exception {
    Output out =
        run(
            RunSpec.builder(
                    fixture.overlay(),
                    List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=96M", "count=1"))
                .resources(Resources.NONE.withMemory(Resources.parseBytes("32m"))));
    assertEquals(137, out.exitCode(), out.stderr());
  }

  @Test
  void resources_pidsLimitStopsForks() throws Exception {
    // Counted with builtins only; busybox sh gives up when a fork fails.
    String script =
        "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done;"
            + " n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo $n";
    Output free = sh(script);
    assertEquals("11\n", free.stdout(), "without a limit all ten forks work: " + free.stderr());
    Output limited =
        run(
            RunSpec.builder(fixture.overlay(), List.of("sh", "-c", script))
                .resources(Resources.NONE.withPidsLimit(4)));
    assertNotEquals(0, limited.exitCode());
    assertTrue(limited.stderr().contains("fork"), limited.stderr());
    assertEquals("", limited.stdout());
  }

  static String mountTable() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.replaceFirst("^\\d+ \\d+ ", ""))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  static void assertWhiteout(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    long rdev =
        ((Number) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
    assertEquals(0020000, mode & 0170000, path + " is not a character device");
    assertEquals(0, rdev, path + " is not a 0/0 whiteout");
  }

  static Set<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }
}
