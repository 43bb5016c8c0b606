package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.runtime.SandboxFixture.Output;
import dev.hoist.store.posix.FileStat;
import dev.hoist.store.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile RUN steps that every backend must refuse. Each test first states what would show the
 * attack worked on the host, so that the test fails if the sandbox let it through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileStepsContract {
  Path tmp;
  SandboxFixture fixture;
  Sandbox sandbox;
  String marker;

  abstract Isolation isolation();

  @BeforeAll
  void setUp(@TempDir Path dir) throws IOException {
    tmp = dir;
    fixture = new SandboxFixture(dir);
    sandbox = Sandboxes.select(isolation(), fixture.workRoot);
    marker = "hoist-escape-" + UUID.randomUUID();
  }

  Output sh(String script) throws Exception {
    return SandboxFixture.run(
        sandbox,
        RunSpec.builder(fixture.overlay(), List.of("sh", "-c", script))
            .timeout(java.time.Duration.ofSeconds(30)));
  }

  @Test
  void mounting_isRefused() throws Exception {
    String before = SandboxContract.mountTable();
    Output out =
        sh(
            "mkdir -p /m; mount -t tmpfs none /m && echo mounted; mount --bind /bin /m && echo"
                + " bound; mount -o remount,rw /proc/sys && echo remounted; umount /etc/hosts &&"
                + " echo unmounted; true");
    assertEquals("", out.stdout(), out.stderr());
    assertEquals(before, SandboxContract.mountTable());
  }

  @Test
  void writingThroughProcLinks_staysInsideTheRootfs() throws Exception {
    Rootfs.Overlay rootfs = fixture.overlay();
    Output out =
        SandboxFixture.run(
            sandbox,
            RunSpec.builder(
                rootfs,
                List.of(
                    "sh",
                    "-c",
                    "echo x > /proc/1/root/"
                        + marker
                        + "; echo x > /proc/self/root/../../"
                        + marker
                        + "-2; for fd in /proc/self/fd/* /proc/1/fd/*; do echo x >"
                        + " $fd/../../../"
                        + marker
                        + "-3; done 2>/dev/null; cd /proc/1/cwd/../../.. && echo x > "
                        + marker
                        + "-4; true")));
    assertEquals(0, out.exitCode(), out.stderr());
    for (String suffix : List.of("", "-2", "-3", "-4")) {
      assertFalse(Files.exists(Path.of("/" + marker + suffix)), "host / got " + marker + suffix);
      assertFalse(Files.exists(Path.of("/tmp/" + marker + suffix)));
    }
    assertTrue(Files.exists(rootfs.upper().resolve(marker)), "the write landed in the layer");
  }

  @Test
  void workdirUnderProcSelfFd_isRefused() throws Exception {
    for (String workdir : List.of("/proc/self/fd/3", "/proc/self/fd/7", "/proc/1/cwd")) {
      SandboxException e =
          assertThrows(
              SandboxException.class,
              () ->
                  SandboxFixture.run(
                      sandbox,
                      RunSpec.builder(fixture.overlay(), List.of("sh", "-c", "echo x > " + marker))
                          .workdir(workdir)));
      assertTrue(e.getMessage().contains("inside /proc"), e.getMessage());
    }
  }

  @Test
  void symlinksPlantedInTheImage_neverReachTheHost() throws Exception {
    Path hostDir = Path.of("/tmp", marker);
    assertFalse(Files.exists(hostDir));
    Path evil = Files.createDirectories(tmp.resolve("evil-layer-" + System.nanoTime()));
    Files.createDirectories(evil.resolve("etc"));
    Files.createSymbolicLink(evil.resolve("etc/hosts"), hostDir.resolve("hosts"));
    Files.createSymbolicLink(
        evil.resolve("etc/resolv.conf"), Path.of("../../../.." + hostDir + "/resolv"));
    Files.createSymbolicLink(evil.resolve("data"), hostDir.resolve("data"));
    Files.createSymbolicLink(evil.resolve("wd"), hostDir.resolve("wd"));
    Path step = Files.createDirectories(tmp.resolve("evil-step-" + System.nanoTime()));
    List<Path> layers = new java.util.ArrayList<>(fixture.layers);
    layers.add(evil);
    Rootfs.Overlay rootfs =
        new Rootfs.Overlay(
            layers,
            Files.createDirectory(step.resolve("upper")),
            Files.createDirectory(step.resolve("work")));
    Path source = Files.createDirectories(tmp.resolve("bind-src"));
    Output out =
        SandboxFixture.run(
            sandbox,
            RunSpec.builder(
                    rootfs,
                    List.of(
                        "sh",
                        "-c",
                        "echo x > /wd/f; echo x > /etc/hosts; echo x > /data/tmp/f; cat"
                            + " /proc/1/status > /dev/null && echo proc-ok; pwd"))
                .workdir("/wd/sub")
                .mount(Mount.tmpfs("/data/tmp"))
                .mount(Mount.bind(source, "/data/bind", false)));
    assertFalse(Files.exists(hostDir), "the step reached " + hostDir + " on the host");
    assertEquals(0, out.exitCode(), out.stderr());
    assertTrue(out.stdout().contains("proc-ok"), out.stdout());
    assertTrue(out.stdout().contains("/wd/sub") || out.stdout().contains(marker + "/wd/sub"));
    assertTrue(Files.isDirectory(rootfs.upper().resolve("tmp/" + marker + "/wd/sub")));
  }

  @Test
  void procAndDevSymlinkedToTheHost_neverReachTheHost() throws Exception {
    Path hostDir = Path.of("/tmp", marker + "-proc");
    Path evil = Files.createDirectories(tmp.resolve("evil-proc-" + System.nanoTime()));
    Files.createSymbolicLink(evil.resolve("proc"), hostDir.resolve("proc"));
    Files.createSymbolicLink(evil.resolve("dev"), Path.of("../../../.." + hostDir + "/dev"));
    Files.createSymbolicLink(evil.resolve("sys"), hostDir.resolve("sys"));
    Path step = Files.createDirectories(tmp.resolve("evil-proc-step-" + System.nanoTime()));
    List<Path> layers = new java.util.ArrayList<>(fixture.layers);
    layers.add(evil);
    Rootfs.Overlay rootfs =
        new Rootfs.Overlay(
            layers,
            Files.createDirectory(step.resolve("upper")),
            Files.createDirectory(step.resolve("work")));
    try {
      // runc refuses such an image; the chroot backend mounts inside the rootfs. Either is safe.
      SandboxFixture.run(sandbox, RunSpec.builder(rootfs, List.of("sh", "-c", "echo x > /proc/x")));
    } catch (SandboxException refused) {
      // fine
    }
    assertFalse(Files.exists(hostDir), "the step reached " + hostDir + " on the host");
  }

  @Test
  void kernelModulesAndRawIo_capabilitiesAreGone() throws Exception {
    Output out = sh("grep CapBnd /proc/self/status; insmod /nonexistent.ko; echo $?");
    long bounding = Long.parseUnsignedLong(out.stdout().split("\\s+")[1], 16);
    for (int cap :
        new int[] {
          16 /* SYS_MODULE */,
          17 /* SYS_RAWIO */,
          21 /* SYS_ADMIN */,
          19 /* SYS_PTRACE */,
          25 /* SYS_TIME */
        }) {
      assertEquals(0, bounding & (1L << cap), "capability " + cap + " in the bounding set");
    }
    assertNotEquals(
        "0", out.stdout().strip().substring(out.stdout().strip().lastIndexOf('\n') + 1));
  }

  @Test
  void rawDisks_cannotBeOpenedEvenAfterMknod() throws Exception {
    long rdev = rootDevice();
    long major = (rdev >> 8) & 0xfff;
    long minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
    Output out =
        sh(
            "for d in /tmp /dev /dev/shm /; do mknod $d/disk b "
                + major
                + " "
                + minor
                + " 2>/dev/null; head -c 512 $d/disk > /dev/null 2>&1 && echo read-$d; "
                + "echo x 2>/dev/null > $d/disk && echo wrote-$d; done; true");
    assertEquals("", out.stdout(), "raw disk " + major + ":" + minor + " opened: " + out.stdout());
  }

  @Test
  void deviceNodesShippedInALayer_cannotReachTheHostDisk() throws Exception {
    // A base image may carry device nodes (tar type 3/4); the layer applier creates them as
    // Docker does. What must hold is that a step cannot use one to reach a host device.
    long rdev = rootDevice();
    int major = (int) ((rdev >> 8) & 0xfff);
    int minor = (int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
    Path layer = fixture.layers.get(0);
    Path block = layer.resolve("layer-disk");
    Path mem = layer.resolve("layer-mem");
    Path zero = layer.resolve("layer-zero");
    Posix.mknod(block, FileStat.S_IFBLK, 0666, major, minor);
    Posix.mknod(mem, FileStat.S_IFCHR, 0666, 1, 1); // /dev/mem
    // /dev/zero is harmless, but the host lets root open it: it shows whether a node from a
    // layer works at all, where the host itself may refuse the disk and /dev/mem to everyone.
    Posix.mknod(zero, FileStat.S_IFCHR, 0666, 1, 5);
    try {
      Output out =
          sh(
              "for d in /layer-disk /layer-mem /layer-zero; do head -c 512 $d > /dev/null 2>&1 && echo"
                  + " read-$d; echo x 2>/dev/null > $d && echo wrote-$d; done; true");
      assertEquals("", out.stdout(), "a device node from a layer opened: " + out.stdout());
    } finally {
      Files.delete(block);
      Files.delete(mem);
      Files.delete(zero);
    }
  }

  @Test
  void hostname_ofTheHostCannotChange() throws Exception {
    String before = Files.readString(Path.of("/proc/sys/kernel/hostname"));
    Output out =
        sh(
            "hostname evil-host && echo changed; echo evil > /proc/sys/kernel/hostname && echo written; true");
    assertEquals("", out.stdout());
    assertEquals(before, Files.readString(Path.of("/proc/sys/kernel/hostname")));
  }

  @Test
  void networkNone_reachesNoAddressWhileHostNetworkDoes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(3000);
      String probe = "echo hello | nc -w 2 127.0.0.1 " + server.getLocalPort() + " && echo sent";
      CompletableFuture<String> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                  return "timeout";
                } catch (IOException e) {
                  return "error " + e;
                }
              });
      Output none =
          SandboxFixture.run(
              sandbox,
              RunSpec.builder(
                      fixture.overlay(),
                      List.of(
                          "sh",
                          "-c",
                          probe + "; ip route 2>&1; wget -q -T 1 -O- http://1.1.1.1/ && echo web"))
                  .network(Network.NONE));
      assertFalse(none.stdout().contains("sent"), none.stdout());
      assertFalse(none.stdout().contains("web"), none.stdout());
      assertEquals("timeout", accepted.get(), "the none-network step reached the host");
      // The same probe on the host network must arrive, or this test proves nothing.
      CompletableFuture<String> control =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return "error " + e;
                }
              });
      Output host =
          SandboxFixture.run(
              sandbox,
              RunSpec.builder(fixture.overlay(), List.of("sh", "-c", probe)).network(Network.HOST));
      assertEquals("hello\n", control.get(), host.stderr());
    }
  }

  @Test
  void registryCredentials_ofHoistCannotBeRead() throws Exception {
    Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
    String secret = "c2VjcmV0-" + UUID.randomUUID();
    Files.writeString(
        dockerConfig.resolve("config.json"),
        "{\"auths\":{\"registry.test\":{\"auth\":\"" + secret + "\"}}}");
    Path home = Path.of(System.getProperty("user.home"), ".docker/config.json");
    Output out =
        sh(
            "cat "
                + dockerConfig.resolve("config.json")
                + " "
                + home
                + " /root/.docker/config.json 2>/dev/null; env; grep -rs "
                + secret
                + " /etc /root /tmp /home 2>/dev/null; true");
    assertFalse(out.stdout().contains(secret), out.stdout());
    assertFalse(out.stdout().contains("DOCKER_CONFIG"), out.stdout());
    assertFalse(out.stdout().contains("JAVA_HOME"), out.stdout());
  }

  @Test
  void hoistsHelpers_cannotBeOverwritten() throws Exception {
    byte[] before = Files.readAllBytes(HostTools.SETPRIV);
    sh("for f in /dev/.hoist/*; do echo x > $f; done 2>/dev/null; rm -rf /dev/.hoist; true");
    assertEquals(
        java.util.Arrays.hashCode(before),
        java.util.Arrays.hashCode(Files.readAllBytes(HostTools.SETPRIV)));
  }

  private static long rootDevice() throws IOException {
    return ((Number) Files.getAttribute(Path.of("/"), "unix:dev", LinkOption.NOFOLLOW_LINKS))
        .longValue();
  }
}
