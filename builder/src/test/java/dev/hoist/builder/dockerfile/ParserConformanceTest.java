package dev.hoist.builder.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hoist.builder.testing.Conformance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** BuildKit's parser test corpus, read from the shared conformance folder. */
class ParserConformanceTest {

  @Test
  void everyPositiveCase_dumpsByteIdenticalToBuildKit() throws Exception {
    Path dir = Conformance.require("buildkit-parser").resolve("testfiles");
    List<String> failures = new ArrayList<>();
    int total = 0;
    try (Stream<Path> cases = Files.list(dir).sorted()) {
      for (Path c : (Iterable<Path>) cases::iterator) {
        total++;
        String expected = Files.readString(c.resolve("result")).replace("\r\n", "\n");
        String actual;
        try {
          actual =
              DockerfileParser.parse("Dockerfile", Files.readAllBytes(c.resolve("Dockerfile")))
                      .dump()
                  + "\n";
        } catch (DockerfileException e) {
          actual = "ERROR " + e.getMessage();
        }
        if (!expected.equals(actual)) {
          failures.add(c.getFileName() + ":\n--- expected\n" + expected + "--- actual\n" + actual);
        }
      }
    }
    Conformance.report("buildkit-parser/testfiles", total - failures.size(), total);
    assertEquals("", String.join("\n", failures));
    assertEquals(33, total);
  }

  @Test
  void everyNegativeCase_failsToParse() throws Exception {
    Path dir = Conformance.require("buildkit-parser").resolve("testfiles-negative");
    int total = 0;
    try (Stream<Path> cases = Files.list(dir).sorted()) {
      for (Path c : (Iterable<Path>) cases::iterator) {
        total++;
        byte[] bytes = Files.readAllBytes(c.resolve("Dockerfile"));
        DockerfileException e =
            assertThrows(
                DockerfileException.class,
                () -> DockerfileParser.parse("Dockerfile", bytes),
                c.getFileName().toString());
        System.out.println("negative " + c.getFileName() + ": " + e.getMessage());
      }
    }
    Conformance.report("buildkit-parser/testfiles-negative", total, total);
    assertEquals(4, total);
  }

  @Test
  void lineNumberCase_givesTheDocumentedRanges() throws Exception {
    Path file = Conformance.require("buildkit-parser").resolve("testfile-line/Dockerfile");
    Dockerfile df = DockerfileParser.parse("Dockerfile", Files.readAllBytes(file));
    assertEquals(new SourceRange(5, 31), df.range());
    assertEquals(
        List.of(new SourceRange(5, 5), new SourceRange(11, 12), new SourceRange(17, 31)),
        df.nodes().stream().map(Node::range).toList());
    Conformance.report("buildkit-parser/testfile-line", 1, 1);
  }
}
