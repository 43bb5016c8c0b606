package dev.hoist.builder.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileParserTest {
  private static Dockerfile parse(String text) {
    return DockerfileParser.parse("Dockerfile", text);
  }

  @Test
  void keywords_areCaseInsensitiveAndKeepTheirSpelling() {
    Dockerfile df = parse("from busybox\nRuN echo hi\n");
    assertEquals(List.of("from", "run"), df.nodes().stream().map(Node::command).toList());
    assertEquals("RuN", df.nodes().get(1).keyword());
    assertEquals("(from \"busybox\")\n(run \"echo hi\")", df.dump());
  }

  @Test
  void escapeDirective_backtickContinuesLinesAndBackslashIsLiteral() {
    Dockerfile df = parse("# escape=`\nFROM windows\nRUN dir `\n  c:\\\n");
    assertEquals('`', df.directives().escapeToken());
    assertEquals(List.of("dir   c:\\"), df.nodes().get(1).args());
    assertEquals(new SourceRange(3, 4), df.nodes().get(1).range());
  }

  @Test
  void syntaxAndCheckDirectives_areRecordedAndNotInstructions() {
    Dockerfile df =
        parse("# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\nFROM a\n");
    assertEquals(Optional.of("docker/dockerfile:1"), df.directives().syntax());
    assertEquals(Optional.of("skip=JSONArgsRecommended"), df.directives().check());
    assertEquals(1, df.nodes().size());
  }

  @Test
  void directive_afterAnInstructionIsJustAComment() {
    Dockerfile df = parse("FROM a\n# escape=`\nRUN a \\\n b\n");
    assertEquals('\\', df.directives().escapeToken());
    assertEquals(List.of("a  b"), df.nodes().get(1).args());
  }

  @Test
  void directive_repeatedIsAnError() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> parse("# escape=`\n# escape=\\\nFROM a\n"));
    assertEquals("Dockerfile:2: only one escape parser directive can be used", e.getMessage());
  }

  @Test
  void escapeDirective_otherCharacterIsAnError() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> parse("# escape=x\nFROM a"));
    assertTrue(e.getMessage().startsWith("Dockerfile:1: invalid escape token 'x'"), e.getMessage());
  }

  @Test
  void continuation_skipsCommentsAndBlankLinesAndCountsThem() {
    Dockerfile df = parse("FROM a\nRUN echo a \\\n# a comment\n\n  && echo b\nUSER x\n");
    Node run = df.nodes().get(1);
    assertEquals(List.of("echo a   && echo b"), run.args());
    assertEquals(new SourceRange(2, 5), run.range());
    assertEquals(new SourceRange(6, 6), df.nodes().get(2).range());
    assertEquals(1, df.warnings().size(), df.warnings().toString());
  }

  @Test
  void continuation_atEndOfFileEndsTheInstruction() {
    assertEquals("(from \"a\")\n(run \"x\")", parse("FROM a\nRUN x \\").dump());
  }

  @Test
  void crlfLineEndings_areAccepted() {
    assertEquals("(from \"a\")\n(run \"x  y\")", parse("FROM a\r\nRUN x \\\r\n y\r\n").dump());
  }

  @Test
  void commentsAboveAnInstruction_areKept() {
    Node n = parse("# build base\nFROM a\n").nodes().get(0);
    assertEquals(List.of("build base"), n.comments());
  }

  @Test
  void execAndShellForms_areTold() {
    Dockerfile df = parse("FROM a\nCMD [\"a\", \"b\"]\nCMD a b\nCMD [\"a\" b]\n");
    assertTrue(df.nodes().get(1).json());
    assertEquals(List.of("a", "b"), df.nodes().get(1).args());
    assertFalse(df.nodes().get(2).json());
    assertFalse(df.nodes().get(3).json(), "invalid JSON falls back to shell form");
    assertEquals(List.of("[\"a\" b]"), df.nodes().get(3).args());
  }

  @Test
  void json_textAfterTheArrayIsIgnoredAsBuildKitsDecoderDoes() {
    Dockerfile df =
        parse(
            "FROM a\nENTRYPOINT [\"x\", \"y\"] # note\nCMD [\"a\"] extra\nCOPY [\"s\", \"/d\"] z\n"
                + "CMD [\"a\"]]\n");
    for (int i = 1; i <= 4; i++) {
      assertTrue(df.nodes().get(i).json(), df.nodes().get(i).original());
    }
    assertEquals(List.of("x", "y"), df.nodes().get(1).args());
    assertEquals(List.of("a"), df.nodes().get(2).args());
    assertEquals(List.of("s", "/d"), df.nodes().get(3).args());
  }

  @Test
  void json_invalidBeforeTheClosingBracketIsStillShellForm() {
    Dockerfile df = parse("FROM a\nCMD [\"a\", b] c\nCMD [\"a\"\n");
    assertFalse(df.nodes().get(1).json());
    assertEquals(List.of("[\"a\", b] c"), df.nodes().get(1).args());
    assertFalse(df.nodes().get(2).json());
  }

  @Test
  void json_withNonStringElementIsAnError() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> parse("FROM a\nCMD [\"a\", 1]\n"));
    assertEquals(
        "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only",
        e.getMessage());
  }

  @Test
  void flags_areSplitOffQuotedAndInOrder() {
    Node n = parse("FROM a\nCOPY --from=b --chown=\"1:1\" --link x /y\n").nodes().get(1);
    assertEquals(List.of("--from=b", "--chown=1:1", "--link"), n.flags());
    assertEquals(List.of("x", "/y"), n.args());
  }

  @Test
  void heredoc_bodyIsAttachedAndExcludedFromTheDump() {
    Dockerfile df = parse("FROM a\nRUN <<EOF\necho $HOME\nEOF\nUSER x\n");
    Node run = df.nodes().get(1);
    assertEquals("(run \"<<EOF\")", Dockerfile.dump(run).replace("run", "(run") + ")");
    assertEquals(List.of(new Heredoc("EOF", 0, true, false, "echo $HOME\n")), run.heredocs());
    assertEquals(new SourceRange(2, 4), run.range());
    assertEquals(new SourceRange(5, 5), df.nodes().get(2).range());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "RUN <<EOF|EOF|0|true|false",
        "RUN <<-EOF|EOF|0|true|true",
        "RUN <<'EOF'|EOF|0|false|false",
        "RUN <<\"EOF\"|EOF|0|false|false",
        "RUN cat 3<<EOF|EOF|3|true|false",
        "RUN python3 <<PY|PY|0|true|false",
      })
  void heredoc_markerForms(String line, String name, int fd, boolean expand, boolean chomp) {
    Node n = parse("FROM a\n" + line + "\n\tbody\n\t" + name + "\n" + name + "\n").nodes().get(1);
    Heredoc h = n.heredocs().get(0);
    assertEquals(name, h.name());
    assertEquals(fd, h.fileDescriptor());
    assertEquals(expand, h.expand());
    assertEquals(chomp, h.chomp());
    assertEquals(chomp ? "body\n" : "\tbody\n\t" + name + "\n", h.effectiveContent());
  }

  @Test
  void heredoc_severalOnOneLineAreReadInOrder() {
    Node n = parse("FROM a\nCOPY <<one <<two /dest/\n1\none\n2\ntwo\n").nodes().get(1);
    assertEquals(
        List.of(
            new Heredoc("one", 0, true, false, "1\n"), new Heredoc("two", 0, true, false, "2\n")),
        n.heredocs());
    assertEquals(new SourceRange(2, 6), n.range());
  }

  @Test
  void heredoc_inExecFormOrOnOtherInstructionsIsNotAHeredoc() {
    Dockerfile df = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD cat <<EOF\nUSER x\n");
    assertEquals(List.of(), df.nodes().get(1).heredocs());
    assertEquals(List.of(), df.nodes().get(2).heredocs());
    assertEquals(4, df.nodes().size());
  }

  @Test
  void heredoc_unterminatedIsAnErrorAtItsInstruction() {
    DockerfileException e =
        assertThrows(DockerfileException.class, () -> parse("FROM a\nRUN <<EOF\necho\n"));
    assertTrue(
        e.getMessage().startsWith("Dockerfile:2: unterminated heredoc <<EOF"), e.getMessage());
    assertEquals(new SourceRange(2, 3), e.range());
  }

  @Test
  void onbuild_wrapsItsTrigger() {
    Node n = parse("FROM a\nONBUILD RUN [\"a\"]\n").nodes().get(1);
    assertEquals("run", n.child().orElseThrow().command());
    assertEquals("onbuild (run \"a\")", Dockerfile.dump(n));
  }

  @Test
  void unknownInstruction_isKeptWithAnEmptyArgument() {
    assertEquals("(from \"a\")\n(frm \"\")", parse("FROM a\nFRM b c\n").dump());
  }

  @Test
  void byteOrderMark_isIgnored() {
    assertEquals("(from \"a\")", parse("\uFEFFFROM a\n").dump());
  }

  @Test
  void empty_isAnError() {
    DockerfileException e = assertThrows(DockerfileException.class, () -> parse("\n# hi\n"));
    assertTrue(
        e.getMessage().startsWith("Dockerfile:2: file with no instructions"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a\"b|\"a\\\"b\"",
        "tab\there|\"tab\\there\"",
        "del\u007f|\"del\\x7f\"",
        "nbsp\u00a0|\"nbsp\\u00a0\"",
        "heart♥|\"heart♥\"",
      })
  void goQuote_matchesGo(String in, String out) {
    assertEquals(out, GoQuote.quote(in));
  }

  @Test
  void goQuote_writesNulAsHex() {
    assertEquals("\"nul\\x00\"", GoQuote.quote("nul\u0000"));
  }
}
