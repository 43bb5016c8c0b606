package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.testkit.ModuleImports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {
  @Test
  void registryImportsOnlyTheModulesBelowIt() {
    assertEquals(
        List.of(),
        ModuleImports.violations(ModuleImports.mainSources(), "registry", Set.of("image")));
  }
}
