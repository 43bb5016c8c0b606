package dev.hoist.builder.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.instructions.Keywords;
import dev.hoist.builder.plan.BaseImages;
import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.builder.plan.BuildPlan;
import dev.hoist.builder.plan.Planner;
import dev.hoist.builder.testing.TestData;
import dev.hoist.image.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The project's own Dockerfiles go through every layer of the front end. */
class TestdataTest {
  static List<Path> testdata() {
    return TestData.all();
  }

  @ParameterizedTest
  @MethodSource("testdata")
  void everyTestdataDockerfile_parsesTypesAndPlans(Path file) throws Exception {
    String name = file.getFileName().toString();
    DockerfileStages stages = InstructionParser.parse(name, Files.readString(file));
    Platform amd64 = Platform.parse("linux/amd64");
    BuildPlan plan =
        Planner.plan(
            stages, new BuildOptions(Map.of(), Optional.empty(), amd64, amd64), BaseImages.NONE);
    assertFalse(plan.stages().isEmpty());
  }

  @Test
  void testdata_coversEveryInstructionAndFlag() throws Exception {
    Set<String> keywords = new HashSet<>();
    Set<String> flags = new HashSet<>();
    boolean heredoc = false;
    boolean exec = false;
    boolean shell = false;
    boolean backtick = false;
    for (Path p : TestData.all()) {
      Dockerfile df = DockerfileParser.parse(p.getFileName().toString(), Files.readAllBytes(p));
      backtick |= df.directives().escapeToken() == '`';
      for (Node n : df.nodes()) {
        Node k = n.child().orElse(n);
        keywords.add(n.command().toUpperCase(java.util.Locale.ROOT));
        heredoc |= !k.heredocs().isEmpty();
        exec |= n.json();
        shell |= !n.json() && n.command().equals("run");
        for (String f : n.flags()) {
          flags.add(f.replaceFirst("=.*", ""));
        }
      }
    }
    assertEquals(new HashSet<>(Keywords.ALL), keywords);
    assertTrue(
        flags.containsAll(
            Set.of(
                "--from",
                "--chown",
                "--chmod",
                "--link",
                "--parents",
                "--exclude",
                "--checksum",
                "--keep-git-dir",
                "--mount",
                "--network",
                "--security",
                "--platform",
                "--interval",
                "--timeout",
                "--start-period",
                "--start-interval",
                "--retries")),
        flags.toString());
    assertTrue(heredoc && exec && shell && backtick);
  }
}
