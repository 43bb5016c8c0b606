package dev.hoist.builder.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.dockerfile.DockerfileException;
import dev.hoist.builder.instructions.ArgDecl;
import dev.hoist.builder.instructions.ArgInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.EnvInstruction;
import dev.hoist.builder.instructions.ExposeInstruction;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.LabelInstruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.UserInstruction;
import dev.hoist.builder.instructions.WorkdirInstruction;
import dev.hoist.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");
  private static final String LINUX_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final BuildOptions OPTS =
      new BuildOptions(Map.of(), Optional.empty(), ARM64, AMD64);

  private static BuildPlan plan(String text) {
    return plan(text, OPTS);
  }

  private static BuildPlan plan(String text, BuildOptions opts) {
    return Planner.plan("Dockerfile", text, opts);
  }

  private static <T> T step(BuildPlan p, int stage, int step, Class<T> type) {
    return type.cast(p.stage(stage).steps().get(step).instruction());
  }

  @Test
  void globalArgs_expandFromAndBuildArgsOverrideThem() {
    String df = "ARG BASE=alpine\nARG TAG=3.20\nFROM ${BASE}:${TAG}\n";
    assertEquals(new StageBase.Image("docker.io/library/alpine:3.20"), plan(df).target().base());
    BuildPlan p = plan(df, OPTS.withBuildArgs(Map.of("TAG", "3.19")));
    assertEquals(new StageBase.Image("docker.io/library/alpine:3.19"), p.target().base());
    assertEquals(Map.of("BASE", "alpine", "TAG", "3.19"), p.globalArgs());
  }

  @Test
  void duplicateStageName_meansTheLaterStage_withBuildKitsWarning() {
    BuildPlan p =
        plan("FROM scratch AS same\nFROM scratch AS same\nFROM scratch\nCOPY --from=same /a /\n");
    assertEquals(java.util.Set.of(1), p.stage(2).dependsOn());
    assertEquals(
        List.of("DuplicateStageName"), p.warnings().stream().map(PlanWarning::ruleId).toList());
  }

  @Test
  void globalArg_isVisibleInAStageOnlyWhenRedeclared() {
    BuildPlan p = plan("ARG V=1\nFROM scratch\nLABEL a=$V\nARG V\nLABEL b=$V\n");
    assertEquals("", step(p, 0, 0, LabelInstruction.class).labels().get(0).value());
    assertEquals("1", step(p, 0, 2, LabelInstruction.class).labels().get(0).value());
  }

  @Test
  void platformArgs_areAutomaticGloballyAndNeedArgInAStage() {
    BuildPlan p =
        plan(
            "FROM --platform=$BUILDPLATFORM scratch AS build\nARG TARGETARCH\nARG BUILDOS\nLABEL t=$TARGETARCH b=$BUILDOS p=$TARGETPLATFORM\n");
    assertEquals(AMD64, p.target().platform());
    LabelInstruction l = step(p, 0, 2, LabelInstruction.class);
    assertEquals("arm64", l.labels().get(0).value());
    assertEquals("linux", l.labels().get(1).value());
    assertEquals("", l.labels().get(2).value(), "TARGETPLATFORM was not declared in the stage");
  }

  @Test
  void stageArg_defaultBuildArgAndEnvPrecedence() {
    BuildPlan p =
        plan(
            "FROM scratch\nARG A=one B=two\nENV B=env\nWORKDIR /$A/$B\n",
            OPTS.withBuildArgs(Map.of("A", "cli")));
    assertEquals("/cli/env", step(p, 0, 2, WorkdirInstruction.class).path());
    ArgInstruction arg = step(p, 0, 0, ArgInstruction.class);
    assertEquals(Optional.of("cli"), arg.args().get(0).defaultValue());
    Step workdir = p.target().steps().get(2);
    assertEquals(Map.of("PATH", LINUX_PATH, "B", "env"), workdir.env());
    assertEquals(Map.of("A", "cli", "B", "two"), workdir.args());
  }

  @Test
  void env_isExpandedQuotesRemovedAndInheritedByChildStages() {
    BuildPlan p =
        plan(
            "FROM scratch AS base\nENV HOME=/home/app NAME=\"my app\"\nFROM base\nENV DIR=$HOME/src\nUSER ${NAME}\n");
    assertEquals(new StageBase.Stage(0), p.target().base());
    assertEquals("/home/app/src", step(p, 1, 0, EnvInstruction.class).vars().get(0).value());
    assertEquals("my app", step(p, 1, 1, UserInstruction.class).user());
    assertEquals(
        Map.of("PATH", LINUX_PATH, "HOME", "/home/app", "NAME", "my app", "DIR", "/home/app/src"),
        p.target().finalEnv());
  }

  @Test
  void envWithSeveralPairs_expandsEachWithTheEnvironmentFromBeforeIt() {
    BuildPlan p = plan("FROM scratch\nENV a=one\nENV a=two b=$a c=${b:-unset}\nLABEL v=$a/$b/$c\n");
    EnvInstruction env = step(p, 0, 1, EnvInstruction.class);
    assertEquals(
        List.of(new KeyValue("a", "two"), new KeyValue("b", "one"), new KeyValue("c", "unset")),
        env.vars());
    assertEquals("two/one/unset", step(p, 0, 2, LabelInstruction.class).labels().get(0).value());
  }

  @Test
  void labelWithSeveralPairs_doesNotSeeItsOwnPairs() {
    BuildPlan p = plan("FROM scratch\nENV a=env\nLABEL a=label b=$a c=$b\n");
    LabelInstruction l = step(p, 0, 1, LabelInstruction.class);
    assertEquals("env", l.labels().get(1).value());
    assertEquals("", l.labels().get(2).value());
  }

  @Test
  void argName_fromAVariableIsExpandedAndFilledByItsBuildArg() {
    String df =
        "FROM scratch\nARG name=foo\nARG ${name}=default\nARG $name\nLABEL foo=$foo\n"
            + "ARG other=bar\nARG $other\nCOPY $bar /dst/\n";
    BuildPlan p = plan(df);
    assertEquals(
        List.of(new ArgDecl("foo", Optional.of("default"))),
        step(p, 0, 1, ArgInstruction.class).args());
    assertEquals("default", step(p, 0, 3, LabelInstruction.class).labels().get(0).value());
    BuildPlan filled = plan(df, OPTS.withBuildArgs(Map.of("foo", "cli", "bar", "*.txt")));
    assertEquals("cli", step(filled, 0, 3, LabelInstruction.class).labels().get(0).value());
    assertEquals(List.of("*.txt"), step(filled, 0, 6, CopyInstruction.class).sources());
    assertEquals(
        List.of(),
        filled.warnings().stream().filter(w -> w.ruleId().equals("UnusedBuildArg")).toList(),
        "foo and bar were consumed by the ARGs whose names expand to them");
  }

  @Test
  void argWithSeveralPairs_seesItsEarlierPairsAsBuildKitSinceV09Does() {
    // Docker 20.10 (BuildKit 0.8) and buildah 1.28 give y="" here; current BuildKit gives 1.
    BuildPlan p = plan("FROM scratch\nARG x=1 y=$x\n");
    assertEquals(
        List.of(new ArgDecl("x", Optional.of("1")), new ArgDecl("y", Optional.of("1"))),
        step(p, 0, 0, ArgInstruction.class).args());
  }

  @Test
  void stageWithoutPath_expandsWithBuildKitsDefaultPath() {
    String linux = LINUX_PATH;
    BuildPlan scratch = plan("FROM scratch\nENV PATH=/opt/bin:$PATH\n");
    assertEquals(
        "/opt/bin:" + linux, step(scratch, 0, 0, EnvInstruction.class).vars().get(0).value());
    BaseImages noPath =
        (ref, platform) -> Optional.of(new BaseImages.Config(List.of("A=1"), List.of()));
    BuildPlan image =
        Planner.plan(
            InstructionParser.parse("Dockerfile", "FROM busybox\nLABEL p=$PATH\n"), OPTS, noPath);
    assertEquals(linux, step(image, 0, 0, LabelInstruction.class).labels().get(0).value());
    BuildPlan windows =
        plan(
            "FROM scratch\nLABEL p=$PATH\n",
            new BuildOptions(Map.of(), Optional.empty(), Platform.parse("windows/amd64"), AMD64));
    assertEquals("", step(windows, 0, 0, LabelInstruction.class).labels().get(0).value());
  }

  @Test
  void shellFormRun_isLeftForTheShellButMountsAreExpanded() {
    BuildPlan p =
        plan("FROM scratch\nARG CACHE=/c\nRUN --mount=type=cache,target=$CACHE echo $CACHE\n");
    RunInstruction r = step(p, 0, 1, RunInstruction.class);
    assertEquals("echo $CACHE", r.command().args().get(0));
    assertEquals(List.of("type=cache,target=/c"), r.mounts());
  }

  @Test
  void copyAndExpose_areExpanded() {
    BuildPlan p =
        plan("FROM scratch\nARG P=\"80 443\"\nENV D=/app\nCOPY --chown=$P a $D/\nEXPOSE $P\n");
    CopyInstruction c = step(p, 0, 2, CopyInstruction.class);
    assertEquals("/app/", c.destination());
    assertEquals(Optional.of("80 443"), c.chown());
    assertEquals(List.of("80", "443"), step(p, 0, 3, ExposeInstruction.class).ports());
  }

  @Test
  void requiredVariable_missingIsAnErrorAtItsLine() {
    DockerfileException e =
        assertThrows(
            DockerfileException.class,
            () ->
                plan("FROM scratch\nARG VERSION\nWORKDIR /${VERSION:?set --build-arg VERSION}\n"));
    assertEquals(
        "Dockerfile:3: failed to process \"/${VERSION:?set --build-arg VERSION}\": VERSION: set --build-arg VERSION",
        e.getMessage());
  }

  @Test
  void target_selectsAStageAndDropsWhatItDoesNotNeed() {
    String df =
        "FROM scratch AS a\nFROM scratch AS b\nCOPY --from=a x y\nFROM scratch AS c\nFROM scratch AS d\n";
    BuildPlan p = plan(df, OPTS.withTarget("B"));
    assertEquals(List.of(0, 1), p.stages().stream().map(PlannedStage::index).toList());
    assertEquals(Set.of(0), p.target().dependsOn());
    assertEquals(List.of(3), plan(df).stages().stream().map(PlannedStage::index).toList());
  }

  @Test
  void target_unknownIsAnErrorThatSuggests() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> plan("FROM scratch AS build\nFROM scratch AS final\n", OPTS.withTarget("biuld")));
    assertEquals(
        "target stage \"biuld\" could not be found in Dockerfile (did you mean \"build\"?); named stages: build, final",
        e.getMessage());
  }

  @Test
  void dependencies_comeFromFromCopyFromIndexAndRunMount() {
    BuildPlan p =
        plan(
            "FROM scratch AS a\nFROM scratch AS b\nFROM scratch AS c\nFROM a\nCOPY --from=1 x y\nRUN --mount=type=bind,from=c,target=/c true\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n");
    PlannedStage t = p.target();
    assertEquals(Set.of(0, 1, 2), t.dependsOn());
    assertEquals(Set.of("docker.io/library/nginx:1.27"), t.images());
    assertEquals(List.of(0, 1, 2, 3), p.stages().stream().map(PlannedStage::index).toList());
  }

  @Test
  void parallelGroups_putIndependentStagesInOneWave() {
    BuildPlan p =
        plan(
            "FROM scratch AS deps\nFROM scratch AS assets\nFROM deps AS build\nFROM scratch\nCOPY --from=build a b\nCOPY --from=assets c d\n");
    assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), p.parallelGroups());
  }

  @Test
  void cycle_isRefused() {
    DockerfileException e =
        assertThrows(
            DockerfileException.class,
            () ->
                plan(
                    "FROM scratch AS a\nCOPY --from=b x y\nFROM scratch AS b\nCOPY --from=a x y\nFROM scratch\nCOPY --from=a x y\n"));
    assertEquals(
        "Dockerfile:1: circular dependency detected on stage: a (a -> b -> a)", e.getMessage());
  }

  @Test
  void copyFrom_ownStageIsRefused() {
    DockerfileException e =
        assertThrows(
            DockerfileException.class, () -> plan("FROM scratch AS a\nCOPY --from=a x y\n"));
    assertTrue(e.getMessage().startsWith("Dockerfile:2: circular dependency detected on stage: a"));
  }

  @Test
  void copyFrom_misspeltStageIsAnErrorNotAnImage() {
    DockerfileException e =
        assertThrows(
            DockerfileException.class,
            () -> plan("FROM scratch AS builder\nFROM scratch\nCOPY --from=biulder /a /b\n"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Dockerfile:3: unknown stage \"biulder\" in COPY --from (did you mean \"builder\"?)"),
        e.getMessage());
  }

  @Test
  void copyFrom_indexOutOfRangeIsAnError() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> plan("FROM scratch\nCOPY --from=4 /a /b\n"));
    assertEquals(
        "Dockerfile:2: COPY --from=4: invalid stage index; this Dockerfile has stages 0 to 0",
        e.getMessage());
  }

  @Test
  void unneededStage_errorsDoNotFailTheBuild() {
    BuildPlan p = plan("FROM scratch AS broken\nCOPY --from=9 a b\nFROM scratch\n");
    assertEquals(1, p.stages().size());
  }

  @Test
  void unusedBuildArg_isAWarning() {
    BuildPlan p =
        plan(
            "ARG USED\nFROM scratch\n",
            OPTS.withBuildArgs(Map.of("USED", "1", "NOPE", "2", "HTTP_PROXY", "http://p")));
    assertEquals(1, p.warnings().size());
    PlanWarning w = p.warnings().get(0);
    assertEquals("UnusedBuildArg", w.ruleId());
    assertEquals("one or more build-args [NOPE] were not consumed by any ARG", w.message());
  }

  @Test
  void undefinedVariable_isAWarningWhenTheBaseEnvIsKnown() {
    BuildPlan p = plan("FROM scratch\nENV HOME=/root\nWORKDIR $HOM/x\n");
    assertEquals(1, p.warnings().size());
    assertEquals(
        "Dockerfile:3: usage of undefined variable '$HOM' (did you mean $HOME?) (UndefinedVar)",
        p.warnings().get(0).toString());
    BuildPlan unknownBase = plan("FROM alpine\nWORKDIR $HOM/x\n");
    assertEquals(List.of(), unknownBase.warnings(), "alpine's own ENV is not known here");
  }

  @Test
  void undefinedArgInFrom_isAWarning() {
    BuildPlan p = plan("FROM alpine:${TAG:-3.20}\n");
    assertEquals("UndefinedArgInFrom", p.warnings().get(0).ruleId());
    assertEquals(new StageBase.Image("docker.io/library/alpine:3.20"), p.target().base());
  }

  @Test
  void baseImages_envAndOnbuildTriggersAreUsed() {
    BaseImages images =
        (ref, platform) ->
            ref.equals("docker.io/library/node:22")
                ? Optional.of(
                    new BaseImages.Config(
                        List.of("PATH=/usr/bin", "NODE_VERSION=22.1"),
                        List.of("COPY . /app", "RUN npm ci")))
                : Optional.empty();
    BuildPlan p =
        Planner.plan(
            InstructionParser.parse("Dockerfile", "FROM node:22\nLABEL v=$NODE_VERSION\n"),
            OPTS,
            images);
    List<Step> steps = p.target().steps();
    assertEquals(3, steps.size());
    assertEquals(List.of("."), ((CopyInstruction) steps.get(0).instruction()).sources());
    assertTrue(steps.get(1).instruction() instanceof RunInstruction);
    assertEquals(1, steps.get(0).instruction().source().range().start());
    assertEquals("22.1", ((LabelInstruction) steps.get(2).instruction()).labels().get(0).value());
  }

  @Test
  void onbuildOfAParentStage_runsInTheChild() {
    BuildPlan p = plan("FROM scratch AS base\nONBUILD LABEL from=base\nFROM base\nUSER x\n");
    List<Step> steps = p.target().steps();
    assertEquals(2, steps.size());
    assertEquals("base", ((LabelInstruction) steps.get(0).instruction()).labels().get(0).value());
  }

  @Test
  void badBaseReference_isAnErrorAtTheFromLine() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> plan("FROM scratch\nFROM Alpine:Bad:Tag\n"));
    assertTrue(e.getMessage().startsWith("Dockerfile:2: invalid image reference"), e.getMessage());
  }

  @Test
  void blankBase_isAnError() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> plan("ARG B\nFROM $B\n"));
    assertEquals(
        "Dockerfile:2: base name ($B) should not be blank; set the ARG it uses", e.getMessage());
  }

  @Test
  void backtickEscape_isUsedForExpansion() {
    BuildPlan p = plan("# escape=`\nFROM scratch\nENV A=x\nLABEL l=`$A-$A\n");
    assertEquals("$A-x", step(p, 0, 1, LabelInstruction.class).labels().get(0).value());
  }
}
