package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.ContainerConfig;
import dev.hoist.image.Reference;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import dev.hoist.testkit.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same Dockerfile built by hoist and by buildah (Debian's, chroot isolation) gives the same
 * file tree — paths, types, modes, owners, sizes, contents, link targets, hard link counts — and
 * the same config fields. buildah leaves a few artefacts BuildKit does not: the mount points of its
 * RUN steps (empty /etc/hosts, /etc/hostname, /etc/resolv.conf, and /dev, /proc, /sys, /run when
 * the base lacks them) and VOLUME directories. hoist follows BuildKit there, and those paths are
 * the only ones left out of the comparison.
 */
class BuildahCompatibilityTest {
  private static final Set<String> BUILDAH_ONLY =
      Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf", "run", "dev", "proc", "sys");
  static LocalRegistry registry;
  static Reference busybox;
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/buildah")),
        "buildah is not installed (scripts/install-deps.sh installs it); the comparison needs it");
    registry = LocalRegistry.startPlain();
    busybox = BuildFixtures.pushBusybox(registry, shared);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"multistage", "compat"})
  void hoistAndBuildahBuildTheSameImage(String name) throws Exception {
    Path context = BuildFixtures.DOCKERFILES.resolve(name);
    Path root = tmp.resolve("hoist-store");
    HoistRunner.Result built =
        HoistRunner.run(
            Map.of(),
            "--root",
            root.toString(),
            "build",
            "-q",
            "--build-arg",
            "BASE=" + busybox,
            "-t",
            "compat:1",
            context.toString());
    assertEquals(0, built.status(), built.stderr());

    Path archive = tmp.resolve("buildah.tar");
    String[] storage = {
      "--root", tmp.resolve("buildah/root").toString(),
      "--runroot", tmp.resolve("buildah/run").toString(),
      "--storage-driver", "vfs"
    };
    run(
        concat(
            List.of("buildah"),
            List.of(storage),
            List.of(
                "bud",
                "--layers",
                "--isolation",
                "chroot",
                "--format",
                "docker",
                "--tls-verify=false",
                "--build-arg",
                "BASE=" + busybox,
                "-t",
                "compat:1",
                context.toString())));
    run(
        concat(
            List.of("buildah"),
            List.of(storage),
            List.of("push", "compat:1", "docker-archive:" + archive + ":localhost/compat:1")));
    HoistRunner.Result loaded =
        HoistRunner.run(Map.of(), "--root", root.toString(), "load", "-i", archive.toString());
    assertEquals(0, loaded.status(), loaded.stderr());

    try (Store store = Store.open(root)) {
      StoredImage ours = store.resolve("compat:1");
      StoredImage theirs = store.resolve("localhost/compat:1");
      Map<String, String> ourTree =
          describe(BuildFixtures.unpack(store, ours, tmp.resolve("ours")));
      Map<String, String> theirTree =
          describe(BuildFixtures.unpack(store, theirs, tmp.resolve("theirs")));
      for (String volume : theirs.config().config().volumes()) {
        theirTree.remove(volume.substring(1));
      }
      BUILDAH_ONLY.forEach(theirTree::remove);
      assertEquals(
          List.of(), differences(theirTree, ourTree), "file trees differ (buildah vs hoist)");

      ContainerConfig a = ours.config().config();
      ContainerConfig b = theirs.config().config();
      assertEquals(b.env(), a.env(), "Env");
      assertEquals(b.cmd(), a.cmd(), "Cmd");
      // buildah writes an absent Entrypoint as []; both mean "none".
      assertEquals(b.entrypoint().filter(e -> !e.isEmpty()), a.entrypoint(), "Entrypoint");
      assertEquals(b.workingDir(), a.workingDir(), "WorkingDir");
      assertEquals(b.user(), a.user(), "User");
      assertEquals(b.exposedPorts(), a.exposedPorts(), "ExposedPorts");
      assertEquals(b.volumes(), a.volumes(), "Volumes");
      assertEquals(b.stopSignal(), a.stopSignal(), "StopSignal");
      assertEquals(
          b.healthcheck().map(h -> h.test()), a.healthcheck().map(h -> h.test()), "Healthcheck");
      Map<String, String> theirLabels = new TreeMap<>(b.labels());
      theirLabels.remove("io.buildah.version");
      assertEquals(theirLabels, new TreeMap<>(a.labels()), "Labels");
    }
  }

  /**
   * Every path below {@code root} (but the root itself) → type, mode, owner, size, content, link.
   */
  private static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> a =
            Files.readAttributes(p, "unix:mode,uid,gid,size,nlink", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String what;
        if (Files.isSymbolicLink(p)) {
          what = "link " + Files.readSymbolicLink(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          what = "file " + a.get("size") + " " + sha256(p) + " nlink=" + a.get("nlink");
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          what = "dir";
        } else {
          what = "special";
        }
        out.put(
            root.relativize(p).toString(),
            what
                + " mode="
                + Integer.toOctalString(mode)
                + " owner="
                + a.get("uid")
                + ":"
                + a.get("gid"));
      }
    }
    return out;
  }

  private static List<String> differences(Map<String, String> buildah, Map<String, String> hoist) {
    List<String> out = new java.util.ArrayList<>();
    java.util.SortedSet<String> paths = new java.util.TreeSet<>(buildah.keySet());
    paths.addAll(hoist.keySet());
    for (String p : paths) {
      String b = buildah.get(p);
      String h = hoist.get(p);
      if (!java.util.Objects.equals(b, h)) {
        out.add(p + ": buildah " + b + " / hoist " + h);
      }
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  private static void run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + "\n" + out);
  }
}
