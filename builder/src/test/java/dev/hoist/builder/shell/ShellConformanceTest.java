package dev.hoist.builder.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.builder.testing.Conformance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** BuildKit's own shell-lexer vectors, read from the shared conformance folder. */
class ShellConformanceTest {
  private static final ShellLexer LEX = ShellLexer.of('\\');

  @Test
  void envVarTest_everyUnixVectorAgreesWithBuildKit() throws Exception {
    Path file = Conformance.require("buildkit-shell").resolve("envVarTest");
    Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      assertEquals(3, f.length, line);
      String platform = f[0].trim();
      if (platform.equals("W")) {
        continue;
      }
      total++;
      String input = GoSpace.trim(f[1]);
      String expected = GoSpace.trim(f[2]);
      String actual;
      try {
        actual = LEX.processWord(input, Variables.of(env));
      } catch (ShellException e) {
        actual = "error";
      }
      if (!expected.equals(actual)) {
        failures.add(input + " -> " + actual + " (expected " + expected + ")");
      }
    }
    Conformance.report("buildkit-shell/envVarTest", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(228, total);
  }

  @Test
  void wordsTest_everyVectorAgreesWithBuildKit() throws Exception {
    Path file = Conformance.require("buildkit-shell").resolve("wordsTest");
    Map<String, String> env = new HashMap<>();
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isEmpty()) {
        continue;
      }
      if (line.startsWith("ENV ")) {
        String kv = GoSpace.trimLeft(line.substring(4));
        int eq = kv.indexOf('=');
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
        continue;
      }
      String[] f = line.split("\\|", -1);
      assertEquals(2, f.length, line);
      total++;
      String input = GoSpace.trim(f[0]);
      List<String> expected = Arrays.asList(GoSpace.trimLeft(f[1]).split(",", -1));
      List<String> actual;
      try {
        actual = LEX.processWords(input, Variables.of(env));
      } catch (ShellException e) {
        actual = List.of("error");
      }
      if (!expected.equals(actual)) {
        failures.add(input + " -> " + actual + " (expected " + expected + ")");
      }
    }
    Conformance.report("buildkit-shell/wordsTest", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(24, total);
  }

  @Test
  void processWithMatches_everyVectorAgreesWithBuildKit() throws Exception {
    Path file = Conformance.require("buildkit-shell").resolve("process-with-matches.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> failures = new ArrayList<>();
    int total = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      total++;
      JsonNode v = json.readTree(line);
      String input = v.get("input").asText();
      Map<String, String> env = new LinkedHashMap<>();
      v.get("envs").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      try {
        Expansion x = LEX.process(input, Variables.of(env));
        if (v.get("expectedErr").asBoolean()) {
          failures.add(input + " -> " + x.result() + " (expected an error)");
          continue;
        }
        Set<String> matched = names(v.get("matches"));
        Set<String> unmatched = names(v.get("unmatched"));
        if (!x.result().equals(v.get("expected").asText())
            || !new TreeSet<>(x.matched()).equals(matched)
            || !new TreeSet<>(x.unmatched()).equals(unmatched)) {
          failures.add(input + " -> " + x + " (expected " + v + ")");
        }
      } catch (ShellException e) {
        if (!v.get("expectedErr").asBoolean()) {
          failures.add(input + " -> " + e.getMessage());
        }
      }
    }
    Conformance.report("buildkit-shell/process-with-matches", total - failures.size(), total);
    assertEquals(List.of(), failures);
    assertEquals(47, total);
  }

  private static Set<String> names(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
