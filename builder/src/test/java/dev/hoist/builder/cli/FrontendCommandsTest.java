package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.testing.Conformance;
import dev.hoist.builder.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hoist lint} and {@code hoist debug parse} as a user runs them. */
class FrontendCommandsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void lint_printsFindingsWithLinesAndExitsOneOnAnError() throws Exception {
    Path df = write("Dockerfile", "FROM alpine:3.20\nADD app /app\nUSER app\n");
    HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "-f", df.toString());
    assertEquals(1, r.status(), r.stderr());
    assertTrue(r.stdout().contains(df + ":2 DL3020 error: Use COPY instead of ADD"), r.stdout());
  }

  @Test
  void lint_onlyWarningsExitsZero() throws Exception {
    Path df = write("Dockerfile", "FROM alpine:3.20\nUSER app\n");
    HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "--file", df.toString());
    assertEquals(0, r.status());
    assertEquals(
        df
            + ":1 HL1001 info: Base image alpine:3.20 is not pinned by digest; use alpine:3.20@sha256:<digest> for reproducible builds\n",
        r.stdout());
  }

  @Test
  void lint_jsonFormatIsHadolints() throws Exception {
    Path df = write("Dockerfile", "FROM alpine:3.20@sha256:" + "a".repeat(64) + "\nUSER root\n");
    HoistRunner.Result r =
        HoistRunner.run(Map.of(), "lint", "-f", df.toString(), "--format", "json");
    assertEquals(0, r.status());
    assertEquals(
        "[{\"code\":\"DL3002\",\"column\":1,\"file\":\""
            + df
            + "\",\"level\":\"warning\",\"line\":2,\"message\":\"Last USER should not be root\"}]\n",
        r.stdout());
  }

  @Test
  void lint_unparsableDockerfileIsAnErrorFinding() throws Exception {
    Path df = write("Dockerfile", "FROM a\nRUNN x\n");
    HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "-f", df.toString());
    assertEquals(1, r.status());
    assertEquals(
        df + ":2 HL0001 error: unknown instruction: RUNN (did you mean RUN?)\n", r.stdout());
  }

  @Test
  void lint_missingFileIsOneLine() {
    HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "-f", dir.resolve("nope").toString());
    assertEquals(1, r.status());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("no such file"), r.stderr());
  }

  @Test
  void lint_listsItsRules() {
    HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "--list-rules");
    assertEquals(0, r.status());
    assertTrue(r.stdout().lines().count() >= 20);
    assertTrue(r.stdout().contains("DL3008 warning Pin versions in apt-get install"), r.stdout());
  }

  @Test
  void debugParse_printsBuildKitsDump() throws Exception {
    Path df = write("Dockerfile", "FROM a AS b\nCOPY --from=b x /y\nRUN <<EOF\necho\nEOF\n");
    HoistRunner.Result r = HoistRunner.run(Map.of(), "debug", "parse", "-f", df.toString());
    assertEquals(0, r.status(), r.stderr());
    assertEquals(
        "(from \"a\" \"AS\" \"b\")\n(copy [\"--from=b\"] \"x\" \"/y\")\n(run \"<<EOF\")\n",
        r.stdout());
  }

  @Test
  void debugParse_jsonHasLinesAndHeredocs() throws Exception {
    Path df = write("Dockerfile", "FROM a\nRUN <<EOF\necho\nEOF\n");
    HoistRunner.Result r =
        HoistRunner.run(Map.of(), "debug", "parse", "--format", "json", "-f", df.toString());
    assertEquals(0, r.status(), r.stderr());
    assertTrue(
        r.stdout()
            .contains(
                "{\"keyword\":\"RUN\",\"startLine\":2,\"endLine\":4,\"flags\":[],\"args\":[\"<<EOF\"],\"json\":false,\"heredocs\":[{\"name\":\"EOF\",\"fileDescriptor\":0,\"expand\":true,\"chomp\":false,\"content\":\"echo\\n\"}]"),
        r.stdout());
  }

  @Test
  void debugParse_malformedIsOneLineWithTheLineAndExitOne() throws Exception {
    Path df = write("Dockerfile", "FROM a\nRUN <<EOF\necho\n");
    HoistRunner.Result r = HoistRunner.run(Map.of(), "debug", "parse", "-f", df.toString());
    assertEquals(1, r.status());
    assertEquals(
        "hoist: "
            + df
            + ":2: unterminated heredoc <<EOF: no line 'EOF' ends it before the end of the file\n",
        r.stderr());
  }

  @Test
  void debugParse_dumpsEveryBuildKitCaseExactly() throws Exception {
    Path cases = Conformance.require("buildkit-parser").resolve("testfiles");
    List<String> failed = new ArrayList<>();
    try (Stream<Path> s = Files.list(cases)) {
      for (Path c : (Iterable<Path>) s.sorted()::iterator) {
        HoistRunner.Result r =
            HoistRunner.run(Map.of(), "debug", "parse", "-f", c.resolve("Dockerfile").toString());
        if (!r.stdout().equals(Files.readString(c.resolve("result")))) {
          failed.add(c.getFileName().toString());
        }
      }
    }
    assertEquals(List.of(), failed);
  }

  @Test
  void lint_everyTestdataDockerfileRuns() {
    for (Path p : TestData.all()) {
      HoistRunner.Result r = HoistRunner.run(Map.of(), "lint", "-f", p.toString());
      assertTrue(r.status() == 0 || r.status() == 1, p + ": " + r.stderr());
      assertEquals("", r.stderr(), p.toString());
    }
  }
}
