package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.ContainerConfig;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config fields and files where Dockerfile semantics are easy to get subtly wrong, built with the
 * real CLI on a busybox base. Every expected value is what Docker 20.10's BuildKit gave for the
 * same Dockerfile on the same base image.
 */
class DockerfileSemanticsTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  /** Builds {@code context} as {@code tag} into the test's store. */
  private Path build(Path context, String tag) {
    Path root = tmp.resolve("store");
    HoistRunner.Result r =
        HoistRunner.inStore(
            root, BuildFixtures.buildArgs(base.busybox(), "-t", tag, context.toString()));
    assertEquals(0, r.status(), r.stderr());
    return root;
  }

  @Test
  void workdir_makesItsDirectoriesOwnedByTheUserAndKeepsThePathAsWritten() throws IOException {
    Path context =
        BuildFixtures.context(
            tmp.resolve("ctx"),
            String.join(
                "\n",
                "USER 1000",
                "WORKDIR /w/x",
                "USER app:staff",
                "WORKDIR /w/y/z",
                "USER app",
                "WORKDIR /home/app/q",
                "USER 1002:staff",
                "WORKDIR /m",
                "USER ghost:ghosts",
                "WORKDIR rel/",
                "USER nobody",
                "WORKDIR /tmp/t/",
                ""));
    try (Store store = Store.open(build(context, "workdir:1"))) {
      StoredImage image = store.resolve("workdir:1");
      assertEquals(Optional.of("/tmp/t/"), image.config().config().workingDir());
      Path fs = BuildFixtures.unpack(store, image, tmp.resolve("fs"));
      Map<String, String> want = new TreeMap<>();
      want.put("w", "1000:1000 755"); // a number is the uid and the gid
      want.put("w/x", "1000:1000 755");
      want.put("w/y", "1000:50 755"); // name:group from /etc/passwd and /etc/group
      want.put("w/y/z", "1000:50 755");
      want.put("home/app", "1000:1000 755"); // already there: left as it was
      want.put("home/app/q", "1000:1000 755");
      want.put("m", "1002:50 755");
      want.put("m/rel", "0:0 755"); // names the image does not have: root, gid unchanged
      want.put("tmp", "0:0 1777"); // a parent WORKDIR passes through keeps its mode
      want.put("tmp/t", "65534:65534 755");
      Map<String, String> got = new TreeMap<>();
      for (String p : want.keySet()) {
        got.put(p, owner(fs.resolve(p)));
      }
      assertEquals(want, got);
    }
  }

  @Test
  void workdir_throughAFile_isOneClearLine() throws IOException {
    Path context = BuildFixtures.context(tmp.resolve("ctx"), "RUN touch /f\nWORKDIR /f/x\n");
    HoistRunner.Result r =
        HoistRunner.inStore(
            tmp.resolve("store"), BuildFixtures.buildArgs(base.busybox(), context.toString()));
    assertEquals(1, r.status(), r.stderr());
    String last = r.stderr().lines().reduce((x, y) -> y).orElse("");
    assertTrue(last.startsWith("hoist: Dockerfile:4: WORKDIR /f/x: /f is"), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace");
  }

  @Test
  void scratch_startsWithTheDefaultPathAndRootWorkdir() throws IOException {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(context.resolve("f"), "f\n");
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY f /f\n");
    try (Store store = Store.open(build(context, "scratch:1"))) {
      ContainerConfig c = store.resolve("scratch:1").config().config();
      assertEquals(
          List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), c.env());
      assertEquals(Optional.of("/"), c.workingDir());
    }
  }

  @Test
  void execForm_followedByAComment_isStillExecForm() throws IOException {
    Path context =
        BuildFixtures.context(
            tmp.resolve("ctx"), "ENTRYPOINT [\"echo\", \"hi\"] # note\nCMD [\"a\"] extra\n");
    try (Store store = Store.open(build(context, "exec:1"))) {
      ContainerConfig c = store.resolve("exec:1").config().config();
      assertEquals(Optional.of(List.of("echo", "hi")), c.entrypoint());
      assertEquals(Optional.of(List.of("a")), c.cmd());
    }
  }

  private static String owner(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
    return a.get("uid")
        + ":"
        + a.get("gid")
        + " "
        + Integer.toOctalString((Integer) a.get("mode") & 07777);
  }
}
