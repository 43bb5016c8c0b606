package dev.hoist.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerIgnoreTest {
  @TempDir Path context;

  @Test
  void locate_dockerfileSpecificIgnoreFileWins() throws Exception {
    Path df = Files.createDirectories(context.resolve("build")).resolve("app.Dockerfile");
    Files.writeString(df, "FROM scratch\n");
    Files.writeString(context.resolve(".dockerignore"), "*.log\n");
    assertEquals(
        Optional.of(context.resolve(".dockerignore")),
        DockerIgnore.locate(context, Optional.of(df)));
    Files.writeString(context.resolve("build/app.Dockerfile.dockerignore"), "secret\n");
    IgnoreMatcher m = DockerIgnore.load(context, Optional.of(df));
    assertTrue(m.ignores("secret"));
    assertFalse(m.ignores("x.log"), "the context's .dockerignore no longer applies");
  }

  @Test
  void locate_noFileIgnoresNothing() throws Exception {
    assertEquals(Optional.empty(), DockerIgnore.locate(context, Optional.empty()));
    assertFalse(DockerIgnore.load(context, Optional.empty()).ignores("anything"));
  }

  @Test
  void load_badPatternNamesTheFile() throws Exception {
    Files.writeString(context.resolve(".dockerignore"), "ok\n[\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DockerIgnore.load(context, Optional.empty()));
    assertTrue(
        e.getMessage()
            .startsWith(context.resolve(".dockerignore") + ": syntax error in pattern '['"),
        e.getMessage());
  }

  @Test
  void readPatterns_cleansTrimsAndKeepsExceptions() {
    assertEquals(
        List.of("node_modules", "a/b", "!a/b/keep.txt", "**/*.tmp"),
        DockerIgnore.readPatterns(
            "\uFEFF# comment\nnode_modules/\n/a//b/.\n  ! /a/b/keep.txt  \r\n\n**/*.tmp\n"));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "node_modules|node_modules/x/y.js|true",
        "*.md|docs/a.md|false",
        "**/*.md|docs/a.md|true",
        "/build|build/out|true",
        "build/|build|true",
        "a?c|abc|true",
        "a?c|a/c|false",
        "[a-c]x|bx|true",
        "[!a]x|bx|false",
        "docs/../secret|secret|true",
      })
  void ignores_singlePattern(String pattern, String path, boolean ignored) {
    assertEquals(ignored, IgnoreMatcher.of(DockerIgnore.readPatterns(pattern)).ignores(path));
  }

  @Test
  void exceptions_lastMatchWinsAndParentsCanBeReincluded() {
    IgnoreMatcher m =
        IgnoreMatcher.of(List.of("*", "!src", "src/**/*.test.js", "!src/keep.test.js"));
    assertTrue(m.hasExclusions());
    assertTrue(m.ignores("README.md"));
    assertFalse(m.ignores("src/main.js"));
    assertTrue(m.ignores("src/a/b.test.js"));
    assertFalse(m.ignores("src/keep.test.js"));
    assertFalse(m.ignores("."), "the context root is never ignored");
  }
}
