package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.testkit.TrainingRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher records the classes of a push and of pulls over HTTP and TLS against testkit's
 * TrainingRegistry for its class-data-sharing archive. If hoist could not push to it or pull from
 * it, the archive would silently lose those classes: this runs the launcher's sequence and checks
 * that each step succeeds and moves the image whole.
 */
class TrainingRegistryTest {
  @Test
  void theLaunchersTrainingPushAndPullsSucceed(@TempDir Path tmp) throws Exception {
    Path context = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
    Files.writeString(context.resolve("a.txt"), "a\n");
    Map<String, String> env = Map.of("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
    Path store = tmp.resolve("store");
    HoistRunner.Result built =
        HoistRunner.inStore(env, store, "build", "-q", "-t", "training:1", context.toString());
    assertEquals(0, built.status(), built.stderr());

    try (TrainingRegistry registry = TrainingRegistry.start()) {
      String plain = registry.plainAddress() + "/training:1";
      HoistRunner.Result push = HoistRunner.inStore(env, store, "push", "training:1", plain);
      assertEquals(0, push.status(), push.stderr());

      for (String source : new String[] {plain, registry.tlsAddress() + "/training:1"}) {
        Path pulled = tmp.resolve("pulled-" + source.hashCode());
        HoistRunner.Result pull = HoistRunner.inStore(env, pulled, "pull", source);
        assertEquals(0, pull.status(), source + ": " + pull.stderr());
        assertTrue(pull.stdout().contains("Downloaded newer image"), pull.stdout());
        HoistRunner.Result fsck = HoistRunner.inStore(env, pulled, "fsck");
        assertEquals(0, fsck.status(), fsck.stdout() + fsck.stderr());
      }
    }
  }
}
