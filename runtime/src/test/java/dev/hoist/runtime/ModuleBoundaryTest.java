package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.testkit.ModuleImports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {
  @Test
  void runtimeImportsOnlyTheModulesBelowIt() {
    assertEquals(
        List.of(),
        ModuleImports.violations(ModuleImports.mainSources(), "runtime", Set.of("image", "store")));
  }
}
