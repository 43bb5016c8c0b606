package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate hoist-like JVM that runs one long step, for tests that SIGKILL it. Arguments:
 * isolation, work root, lower dirs (bottom first). Its upper and work dirs are {@link StepDirs},
 * which the next start must reclaim.
 */
public final class SandboxChild {
  private SandboxChild() {}

  public static void main(String[] args) throws Exception {
    Sandbox sandbox = Sandboxes.select(Isolation.parse(args[0]), Path.of(args[1]));
    List<Path> lowers = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      lowers.add(Path.of(args[i]));
    }
    StepDirs dirs = StepDirs.create(Path.of(args[1]));
    RunResult result =
        sandbox.run(
            RunSpec.builder(
                    dirs.overlay(lowers),
                    List.of("sh", "-c", "echo started; sleep 4242 & sleep 4242"))
                .stdout(System.out)
                .stderr(System.err)
                .build());
    System.exit(result.exitCode());
  }
}
