package dev.hoist.builder.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the planner resolves names that a {@code --build-context} stands for, as BuildKit does. */
class NamedContextPlanTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final BuildOptions OPTS =
      new BuildOptions(Map.of(), Optional.empty(), AMD64, AMD64);

  /** Knows the contexts {@code keys}: directories, except {@code img}, an image with ENV. */
  private static BaseImages contexts(String... keys) {
    Set<String> known = Set.of(keys);
    return new BaseImages() {
      @Override
      public Optional<Config> lookup(String reference, Platform platform) {
        return Optional.empty();
      }

      @Override
      public Optional<ContextConfig> namedContext(String key, Platform platform) {
        if (!known.contains(key)) {
          return Optional.empty();
        }
        return Optional.of(
            new ContextConfig(
                key.equals("img")
                    ? Optional.of(new Config(List.of("FROM_CTX=1"), List.of()))
                    : Optional.empty()));
      }
    };
  }

  private static BuildPlan plan(String df, BaseImages images) {
    return Planner.plan(InstructionParser.parse("Dockerfile", df), OPTS, images);
  }

  @Test
  void aStageNamedLikeAContext_isReplacedAndNoneOfItsStepsRun() {
    BuildPlan p =
        plan("FROM busybox AS build\nRUN exit 1\nFROM build\nRUN true\n", contexts("build"));
    assertEquals(new StageBase.Context("build"), p.stage(0).base());
    assertEquals(List.of(), p.stage(0).steps());
    assertEquals(new StageBase.Stage(0), p.target().base());
  }

  @Test
  void aBaseImageNamedLikeAContext_isThatContext_andItsStepsRunOnIt() {
    BuildPlan p = plan("FROM docker.io/library/img:latest\nRUN echo $FROM_CTX\n", contexts("img"));
    assertEquals(new StageBase.Context("img"), p.target().base());
    assertEquals(1, p.target().steps().size());
    assertEquals("1", p.target().finalEnv().get("FROM_CTX"), "the context image's ENV is seen");
  }

  @Test
  void anEarlierStageOfTheBaseName_winsOverAContextOfThatName() {
    BuildPlan p = plan("FROM busybox AS x\nFROM x AS y\nRUN true\n", contexts("busybox:1"));
    assertEquals(new StageBase.Stage(0), p.target().base());
  }

  @Test
  void copyFromAContext_isNeitherAStageToWaitForNorAnImageToPull() {
    BuildPlan p = plan("FROM scratch\nCOPY --from=files /a /a\n", contexts("files"));
    assertEquals(Set.of(), p.target().dependsOn());
    assertEquals(Set.of(), p.target().images());
  }

  @Test
  void scratch_isNeverAContext() {
    BuildPlan p = plan("FROM scratch\n", contexts("scratch"));
    assertTrue(p.target().base() instanceof StageBase.Scratch);
  }
}
