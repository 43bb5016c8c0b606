package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.instructions.Stage;
import dev.hoist.builder.testing.TestData;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepKeysTest {
  /**
   * describe() writes the instruction package's records itself instead of calling their generated
   * toString; cache keys made before that must still match, so its text must be the same as
   * String.valueOf of every component, for every instruction of every testdata Dockerfile.
   */
  @Test
  void describe_isTheRecordsOwnText_forEveryTestdataInstruction() throws Exception {
    int compared = 0;
    for (Path file : TestData.all()) {
      DockerfileStages parsed =
          InstructionParser.parse(file.getFileName().toString(), Files.readString(file));
      List<Instruction> all = new ArrayList<>(parsed.globalArgs());
      for (Stage s : parsed.stages()) {
        all.add(s.from());
        all.addAll(s.instructions());
      }
      for (Instruction ins : all) {
        assertEquals(recordText(ins), StepKeys.describe(ins), file + ": " + ins.keyword());
        compared++;
      }
    }
    assertTrue(compared > 50, "only " + compared + " instructions compared");
  }

  /** The text describe() gave before it wrote records itself. */
  private static String recordText(Instruction instruction) throws ReflectiveOperationException {
    StringBuilder sb = new StringBuilder(instruction.keyword());
    for (RecordComponent c : instruction.getClass().getRecordComponents()) {
      if (!c.getName().equals("source")) {
        sb.append('\0').append(c.getName()).append('=').append(c.getAccessor().invoke(instruction));
      }
    }
    return sb.toString();
  }
}
