package dev.hoist.builder.dockerfile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.lint.Linter;
import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.builder.plan.Planner;
import dev.hoist.builder.testing.TestData;
import dev.hoist.image.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and mutated real Dockerfiles through parser, instructions, planner and linter: every
 * input must either succeed or fail with a DockerfileException (or, for a bad target, an
 * IllegalArgumentException), never crash or hang. Seeded, so a failure reproduces.
 */
class FuzzTest {
  private static final BuildOptions OPTS =
      new BuildOptions(
          Map.of("A", "1"),
          Optional.empty(),
          Platform.parse("linux/amd64"),
          Platform.parse("linux/amd64"));
  private static final String[] TOKENS = {
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ARG ",
    "ENV ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    " AS ",
    "--from=",
    "--mount=",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "EOF",
    "\\\n",
    "`\n",
    "\n",
    "\r\n",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "${",
    "}",
    "$",
    ":-",
    ":?",
    "/",
    "//",
    "%",
    "#",
    "\"",
    "'",
    "[",
    "]",
    "[\"a\"]",
    ",",
    "=",
    " ",
    "\t",
    "scratch",
    "0",
    "\u00a0",
    "\uFEFF",
    "é",
    "\u0000"
  };

  private static int inputs;

  private static void exercise(String text) {
    try {
      Dockerfile df = DockerfileParser.parse("Dockerfile", text);
      df.dump();
      AstJson.toJson(df);
      Planner.plan(InstructionParser.stages(df), OPTS, dev.hoist.builder.plan.BaseImages.NONE);
    } catch (DockerfileException expected) {
      assertTrue(expected.getMessage().startsWith("Dockerfile:"), expected.getMessage());
      assertTrue(expected.getMessage().lines().count() == 1, expected.getMessage());
    }
    // Lint re-plans every stage: run it on every fourth input to keep the test quick.
    if (inputs++ % 4 == 0) {
      Linter.lint("Dockerfile", text);
    }
  }

  @Test
  void randomBytes_neverCrashTheFrontEnd() {
    Random random = new Random(20261122);
    for (int i = 0; i < 1500; i++) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      exercise(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  @Test
  void randomTokens_neverCrashTheFrontEnd() {
    Random random = new Random(7);
    for (int i = 0; i < 2500; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(TOKENS[random.nextInt(TOKENS.length)]);
        if (random.nextInt(4) == 0) {
          sb.append((char) ('a' + random.nextInt(26)));
        }
      }
      exercise(sb.toString());
    }
  }

  @Test
  void mutatedRealDockerfiles_neverCrashTheFrontEnd() throws Exception {
    List<String> seeds = new ArrayList<>();
    for (Path p : TestData.all()) {
      seeds.add(Files.readString(p, StandardCharsets.UTF_8));
    }
    assertTrue(seeds.size() >= 5, "testdata/dockerfiles not found at " + TestData.dockerfiles());
    Random random = new Random(42);
    for (int i = 0; i < 800; i++) {
      StringBuilder sb = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
      int edits = 1 + random.nextInt(6);
      for (int e = 0; e < edits && sb.length() > 0; e++) {
        int at = random.nextInt(sb.length());
        switch (random.nextInt(4)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
          case 2 -> sb.setCharAt(at, (char) random.nextInt(128));
          default -> {
            int end = Math.min(sb.length(), at + random.nextInt(40));
            sb.delete(at, end);
          }
        }
      }
      exercise(sb.toString());
    }
  }

  @Test
  void pathologicalInputs_finishQuickly() {
    exercise("FROM a\nRUN " + "\\\n".repeat(20000) + "x");
    exercise("FROM a\nCMD " + "[".repeat(5000) + "]".repeat(5000));
    exercise("FROM a\nENV a=" + "${b:-".repeat(2000) + "}".repeat(2000));
    exercise("FROM a\nRUN " + "<<EOF ".repeat(500) + "\n" + "EOF\n".repeat(500));
    exercise("\n".repeat(100000) + "FROM a");
  }
}
