package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.image.ContainerConfig;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
}
