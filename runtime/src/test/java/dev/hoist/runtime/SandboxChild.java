package dev.hoist.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate hoist-like JVM that runs one long step, for tests that SIGKILL it. Arguments:
 * isolation, work root, upper, work, lower dirs (bottom first).
 */
public final class SandboxChild {
  private SandboxChild() {}

  public static void main(String[] args) throws Exception {
    Sandbox sandbox = Sandboxes.select(Isolation.parse(args[0]), Path.of(args[1]));
    List<Path> lowers = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      lowers.add(Path.of(args[i]));
    }
    RunResult result =
        sandbox.run(
            RunSpec.builder(
                    new Rootfs.Overlay(lowers, Path.of(args[2]), Path.of(args[3])),
                    List.of("sh", "-c", "echo started; sleep 4242 & sleep 4242"))
                .stdout(System.out)
                .stderr(System.err)
                .build());
    System.exit(result.exitCode());
  }
}
