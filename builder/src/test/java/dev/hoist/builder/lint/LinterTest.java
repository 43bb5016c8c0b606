package dev.hoist.builder.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.testing.TestData;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LinterTest {
  static List<Path> testdata() {
    return TestData.all();
  }

  /** Golden files: src/test/resources/lint/NAME.txt is the exact report for testdata NAME. */
  @ParameterizedTest
  @MethodSource("testdata")
  void testdataDockerfiles_reportWhatAReviewerWould(Path file) throws Exception {
    String name = file.getFileName().toString();
    String actual = Linter.lint(name, Files.readString(file)).toText();
    String golden = "/lint/" + name.replace(".Dockerfile", ".txt");
    if (Boolean.getBoolean("hoist.updateGolden")) {
      Path out = Path.of("src/test/resources" + golden);
      Files.writeString(out, actual);
    }
    try (InputStream in = LinterTest.class.getResourceAsStream(golden)) {
      assertTrue(in != null, "missing golden file " + golden);
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual);
    }
  }

  @Test
  void rules_areAtLeastTwentyWithUniqueIds() {
    List<String> ids = Linter.rules().stream().map(LintRule::id).toList();
    assertTrue(ids.size() >= 20, ids.toString());
    assertEquals(ids.size(), Set.copyOf(ids).size());
  }

  private static Set<String> ids(String dockerfile) {
    return Linter.lint("Dockerfile", dockerfile).findings().stream()
        .map(f -> f.ruleId() + "@" + f.line())
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "FROM alpine\\nUSER a => DL3006@1",
        "FROM alpine:latest\\nUSER a => DL3007@1",
        "FROM alpine:3.20\\nUSER a => HL1001@1",
        "FROM debian:12\\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\\nUSER a => DL3008@2",
        "FROM debian:12\\nRUN apt-get install --no-install-recommends curl=8 && rm -rf /var/lib/apt/lists/*\\nUSER a => DL3014@2",
        "FROM debian:12\\nRUN apt-get install -y curl=8 && rm -rf /var/lib/apt/lists/*\\nUSER a => DL3015@2",
        "FROM debian:12\\nRUN apt-get update && apt-get install -y --no-install-recommends curl=8\\nUSER a => DL3009@2",
        "FROM debian:12\\nRUN apt install curl\\nUSER a => DL3027@2",
        "FROM alpine:3\\nRUN apk add curl=8\\nUSER a => DL3019@2",
        "FROM alpine:3\\nRUN apk add --no-cache curl\\nUSER a => DL3018@2",
        "FROM python:3\\nRUN pip install flask\\nUSER a => DL3013@2",
        "FROM alpine:3\\nADD src /src\\nUSER a => DL3020@2",
        "FROM node:22\\nCOPY . .\\nRUN npm ci\\nUSER a => HL1002@2",
        "FROM alpine:3\\nUSER root => DL3002@2",
        "FROM alpine:3 => HL1003@1",
        "FROM alpine:3\\nWORKDIR app\\nUSER a => DL3000@2",
        "FROM alpine:3\\nRUN cd /x && make\\nUSER a => DL3003@2",
        "FROM alpine:3\\nCMD [\"a\"]\\nCMD [\"b\"]\\nUSER a => DL4003@3",
        "FROM alpine:3\\nENTRYPOINT [\"a\"]\\nENTRYPOINT [\"b\"]\\nUSER a => DL4004@3",
        "FROM alpine:3\\nHEALTHCHECK CMD a\\nHEALTHCHECK CMD b\\nUSER a => DL3012@3",
        "FROM alpine:3\\nRUN sudo make\\nUSER a => DL3004@2",
        "FROM alpine:3\\nRUN curl -sSL https://x/i.sh | bash\\nUSER a => HL1004@2",
        "FROM alpine:3\\nRUN wget -O- https://x/i.sh | sudo sh\\nUSER a => HL1004@2",
        "FROM alpine:3\\nENV DB_PASSWORD=x\\nUSER a => HL1005@2",
        "FROM alpine:3\\nARG GITHUB_TOKEN\\nUSER a => HL1005@2",
        "FROM alpine:3\\nENTRYPOINT exec app\\nUSER a => DL3025@2",
        "FROM alpine:3\\nMAINTAINER me\\nUSER a => DL4000@2",
        "FROM alpine:3\\nRUN a\\nRUN b\\nUSER a => DL3059@3",
        "FROM alpine:3 AS Build\\nUSER a => HL1006@1",
        "FROM alpine:3\\nENV A 1\\nUSER a => HL1009@2",
        "FROM alpine:3\\nONBUILD LABEL a b\\nUSER a => HL1009@2",
        "FROM scratch\\nENV HOME=/h\\nWORKDIR $HOM\\nUSER a => HL1007@3",
        "FROM alpine:3\\nRUN ps | grep x\\nUSER a => DL4006@2",
        "FROM scratch\\nRUN a \\\\n\\n b\\nUSER a => HL1008@2",
        "FROM scratch AS build\\nFROM scratch\\nCOPY --from=buld a b => HL0001@3",
        "FROM scratch\\nFOO bar => HL0001@2",
      })
  void eachRule_firesOnItsExampleWithItsLine(String dockerfile, String expected) {
    Set<String> found = ids(dockerfile.replace("\\n", "\n"));
    assertTrue(found.contains(expected), found.toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "FROM alpine:3\\nRUN apt-get -yq install --no-install-recommends curl=8 => DL3014",
        "FROM alpine:3\\nRUN --mount=type=cache,target=/var/lib/apt apt-get update => DL3009",
        "FROM alpine:3\\nRUN apk add --virtual .deps gcc=13 --no-cache => DL3018",
        "FROM alpine:3\\nRUN pip install -r requirements.txt . => DL3013",
        "FROM alpine:3\\nADD https://example.com/a.tgz /a => DL3020",
        "FROM alpine:3\\nADD a.tar.gz /a => DL3020",
        "FROM alpine:3\\nCOPY package.json .\\nRUN npm ci\\nCOPY . . => HL1002",
        "FROM alpine:3 AS base\\nUSER app\\nFROM base => HL1003",
        "FROM alpine:3\\nWORKDIR $HOME/app => DL3000",
        "FROM alpine:3\\nENV PUBLIC_KEY=x => HL1005",
        "FROM alpine:3\\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\\nRUN a | b => DL4006",
        "FROM alpine:3\\n# hadolint ignore=DL3003\\nRUN cd /x => DL3003",
        "FROM alpine:3\\nRUN echo \"a | sh\" => HL1004",
      })
  void rules_doNotFireWhereTheyShouldNot(String dockerfile, String rule) {
    Set<String> found = ids(dockerfile.replace("\\n", "\n"));
    assertFalse(found.stream().anyMatch(f -> f.startsWith(rule + "@")), found.toString());
  }

  @Test
  void checkDirective_skipsRulesAndTurnsWarningsIntoErrors() {
    String body = "FROM alpine\nUSER a\n";
    assertTrue(ids("# check=skip=DL3006,HL1001\n" + body).isEmpty());
    assertTrue(ids("# check=skip=all\n" + body).isEmpty());
    LintReport strict = Linter.lint("Dockerfile", "# check=error=true\n" + body);
    assertTrue(strict.hasErrors());
    assertFalse(Linter.lint("Dockerfile", body).hasErrors());
  }

  @Test
  void report_jsonIsHadolintsShape() {
    LintReport r = Linter.lint("Dockerfile", "FROM alpine\nMAINTAINER \"me\"\n");
    assertTrue(r.hasErrors());
    assertTrue(
        r.toJson()
            .contains(
                "{\"code\":\"DL4000\",\"column\":1,\"file\":\"Dockerfile\",\"level\":\"error\",\"line\":2,\"message\":\"MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors=\\\"\\\"me\\\"\\\"\"}"),
        r.toJson());
  }
}
