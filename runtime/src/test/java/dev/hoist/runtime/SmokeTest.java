package dev.hoist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {
  @TempDir static Path tmp;

  @ParameterizedTest
  @EnumSource(
      value = Isolation.class,
      names = {"CHROOT", "OCI"})
  void smoke(Isolation isolation) throws Exception {
    SandboxFixture f = new SandboxFixture(tmp.resolve(isolation.flag()));
    Sandbox s = Sandboxes.select(isolation, f.workRoot);
    var o =
        SandboxFixture.run(
            s,
            RunSpec.builder(
                f.overlay(),
                List.of(
                    "sh",
                    "-c",
                    "echo pid $$; id; env; pwd; grep Cap /proc/self/status; ls -la /proc/self/fd /dev; cat /proc/self/mountinfo; hostname; echo err >&2; exit 3")));
    System.out.println(o);
    assertEquals(3, o.exitCode());
  }
}
