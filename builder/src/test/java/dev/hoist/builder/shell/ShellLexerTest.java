package dev.hoist.builder.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLexerTest {
  private static final Variables ENV =
      Variables.of(
          Map.of(
              "V", "value", "EMPTY", "", "PATH", "/usr/local/bin:/usr/bin", "F", "archive.tar.gz"));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "$V|value",
        "${V}x|valuex",
        "${UNSET:-w}|w",
        "${EMPTY:-w}|w",
        "${EMPTY-w}|~~",
        "${V:+set}|set",
        "${EMPTY:+set}|~~",
        "${EMPTY+set}|set",
        "${F#*.}|tar.gz",
        "${F##*.}|gz",
        "${F%.*}|archive.tar",
        "${F%%.*}|archive",
        "${PATH/bin/sbin}|/usr/local/sbin:/usr/bin",
        "${PATH//bin/sbin}|/usr/local/sbin:/usr/sbin",
        "'$V'|$V",
        "\"$V\"|value",
        "\\$V|$V",
        "a\\ b|a b",
      })
  void processWord_expandsLikeDocker(String in, String out) throws Exception {
    assertEquals(out, ShellLexer.of('\\').processWord(in, ENV));
  }

  @Test
  void requiredVariable_messageIsTheUsers() {
    ShellException e =
        assertThrows(
            ShellException.class, () -> ShellLexer.of('\\').processWord("${UNSET:?set it}", ENV));
    assertEquals("failed to process \"${UNSET:?set it}\": UNSET: set it", e.getMessage());
  }

  @Test
  void backtickEscape_escapesAndBackslashIsLiteral() throws Exception {
    assertEquals("C:\\dir $V", ShellLexer.of('`').processWord("C:\\dir `$V", ENV));
  }

  @Test
  void skipUnsetEnv_leavesUnknownReferencesAsWritten() throws Exception {
    ShellLexer lex = ShellLexer.of('\\').withSkipUnsetEnv(true);
    assertEquals("value $NOPE ${NOPE:-x}", lex.processWord("$V $NOPE ${NOPE:-x}", ENV));
  }

  @Test
  void rawQuotesAndEscapes_keepTheCharacters() throws Exception {
    ShellLexer lex = ShellLexer.of('\\').withRawQuotes(true).withRawEscapes(true);
    assertEquals(List.of("\"a b\"", "'c'", "d\\ e"), lex.processWords("\"a b\" 'c' d\\ e", ENV));
  }

  @Test
  void process_reportsMatchedAndUnmatchedNames() throws Exception {
    Expansion x = ShellLexer.of('\\').process("$V ${NOPE:-$EMPTY}", ENV);
    assertEquals(Set.of("V", "EMPTY"), x.matched());
    assertEquals(Set.of("NOPE"), x.unmatched());
  }

  @Test
  void deepNesting_failsCleanly() {
    String deep = "${a:-".repeat(500) + "}".repeat(500);
    assertThrows(ShellException.class, () -> ShellLexer.of('\\').processWord(deep, ENV));
  }
}
