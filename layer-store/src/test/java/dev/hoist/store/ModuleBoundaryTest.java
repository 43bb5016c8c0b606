package dev.hoist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.testkit.ModuleImports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {
  @Test
  void storeImportsOnlyTheModulesBelowIt() {
    assertEquals(
        List.of(), ModuleImports.violations(ModuleImports.mainSources(), "store", Set.of("image")));
  }
}
