package dev.hoist.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.testkit.ModuleImports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {
  @Test
  void imageDependsOnNoOtherHoistModule() {
    assertEquals(
        List.of(), ModuleImports.violations(ModuleImports.mainSources(), "image", Set.of()));
  }
}
