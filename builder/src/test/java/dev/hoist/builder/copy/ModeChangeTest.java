package dev.hoist.builder.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** --chmod values against chmod(1)'s (GNU coreutils, umask 0) answers for the same start modes. */
class ModeChangeTest {
  @ParameterizedTest(name = "{0} on {1} (dir={2}) -> {3}")
  @CsvSource({
    "0755, 0600, false, 0755",
    "644, 0777, true, 0644",
    "0, 0644, false, 0000",
    "4755, 0644, false, 4755",
    "u+x, 0644, false, 0744",
    "+x, 0644, false, 0755",
    "a+x, 0600, false, 0711",
    "go-w, 0666, false, 0644",
    "'u=rwx,g=rx,o=', 0600, false, 0750",
    "a=rX, 0600, false, 0444",
    "a=rX, 0700, true, 0555",
    "a=rX, 0700, false, 0555",
    "g=u, 0640, false, 0660",
    "o=g, 0750, false, 0755",
    "u+s, 0755, false, 4755",
    "g+s, 0755, true, 2755",
    "+t, 0777, true, 1777",
    "u-w+x, 0644, false, 0544",
    "'u+r,g-r', 0244, false, 0604",
    "=, 0755, false, 0000",
  })
  void apply_changesTheBitsAsChmodDoes(String text, String start, boolean dir, String expected) {
    int mode = ModeChange.parse(text).apply(Integer.parseInt(start, 8), dir);
    assertEquals(expected, String.format("%04o", mode));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "u", "x+u", "u+q", "rwx", "0800", "77777", "u+x,", ",g-w"})
  void parse_refusesWhatIsNeitherForm(String text) {
    assertThrows(IllegalArgumentException.class, () -> ModeChange.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"0755, true", "u+x, false"})
  void replacesMode_onlyForOctal(String text, boolean replaces) {
    assertEquals(replaces, ModeChange.parse(text).replacesMode());
  }
}
