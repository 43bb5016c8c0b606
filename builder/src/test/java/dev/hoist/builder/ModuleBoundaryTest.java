package dev.hoist.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hoist.testkit.ModuleImports;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {
  @Test
  void builderImportsOnlyTheModulesBelowIt() {
    assertEquals(
        List.of(),
        ModuleImports.violations(
            ModuleImports.mainSources(),
            "builder",
            Set.of("image", "store", "registry", "runtime")));
  }
}
