package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.Command;

class SubcommandsTest {
  @Test
  void everyName_isTheCommandsOwnName() {
    Subcommands.ALL.forEach(
        (name, command) -> assertEquals(name, command.getAnnotation(Command.class).name()));
  }

  @ParameterizedTest
  @CsvSource({
    "'version', version",
    "'--root /x images', images",
    "'--root build build', build",
    "'--debug --tls-verify false push a', push",
    "'--tls-verify=false --insecure-registry h:5000 pull a', pull",
    "'run busybox build', run",
  })
  void needed_isTheNamedCommandAlone(String line, String expected) {
    assertEquals(List.of(Subcommands.ALL.get(expected)), Subcommands.needed(line.split(" ")));
  }

  @ParameterizedTest
  @CsvSource({"biuld, build", "imgaes, images", "psuh, push", "inpsect, inspect", "rim, rmi"})
  void closest_findsTheMistypedCommand(String typed, String meant) {
    assertEquals(Optional.of(meant), Subcommands.closest(typed));
  }

  @ParameterizedTest
  @CsvSource({"frobnicate", "compose", "x"})
  void closest_suggestsNothingForAnUnrelatedWord(String typed) {
    assertEquals(Optional.empty(), Subcommands.closest(typed));
  }

  @ParameterizedTest
  @CsvSource({"''", "'--help'", "'--root /x'", "'biuld .'"})
  void needed_isEveryCommand_forHelpAndTypos(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertEquals(List.copyOf(Subcommands.ALL.values()), Subcommands.needed(args));
  }
}
