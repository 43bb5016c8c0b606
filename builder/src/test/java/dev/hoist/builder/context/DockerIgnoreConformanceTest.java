package dev.hoist.builder.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.builder.testing.Conformance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** moby/patternmatcher's tables, read from the shared conformance folder. */
class DockerIgnoreConformanceTest {

  private static String outcome(List<String> patterns, String path) {
    try {
      return Boolean.toString(IgnoreMatcher.of(patterns).ignores(path));
    } catch (IllegalArgumentException e) {
      return "error";
    }
  }

  @Test
  void casesTsv_everyRowAgreesWithDocker() throws Exception {
    Path file = Conformance.require("dockerignore").resolve("cases.tsv");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      total++;
      String actual = outcome(List.of(f[0]), f[1]);
      if (!actual.equals(f[2])) {
        failures.add(line + " -> " + actual);
      }
    }
    Conformance.report("dockerignore/cases.tsv", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(109, total);
  }

  @Test
  void casesExtendedTsv_everyRowAgreesWithDocker() throws Exception {
    Path file = Conformance.require("dockerignore").resolve("cases-extended.tsv");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    ObjectMapper json = new ObjectMapper();
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      total++;
      List<String> patterns = Arrays.asList(json.readValue(f[3], String[].class));
      String actual = outcome(patterns, f[4]);
      if (!actual.equals(f[5])) {
        failures.add(line + " -> " + actual);
      }
    }
    Conformance.report("dockerignore/cases-extended.tsv", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(137, total);
  }

  @Test
  void readAll_readsTheUpstreamInputAsDockerDoes() throws Exception {
    Path dir = Conformance.require("dockerignore");
    String input = Files.readString(dir.resolve("ignorefile-readall.input"));
    List<String> expected =
        Files.readString(dir.resolve("ignorefile-readall.expected")).lines().toList();
    assertEquals(expected, DockerIgnore.readPatterns(input));
    Conformance.report("dockerignore/ignorefile-readall", 1, 1);
  }
}
