package dev.hoist.runtime;

import java.io.IOException;

/**
 * Runs one process over a root filesystem in isolation and returns how it ended. Implementations
 * are thread-safe: several steps may run at once.
 */
public interface Sandbox {
  /**
   * Runs {@code spec} to its end, streaming its stdout and stderr to the spec's sinks as they come.
   * Interrupting the calling thread kills the step's whole process tree and rethrows.
   *
   * @throws SandboxException when the step could not be set up (bad user, rootfs, mount, ...)
   */
  RunResult run(RunSpec spec) throws IOException, InterruptedException;

  /** Which backend this is. */
  Isolation isolation();

  /**
   * A one-line description for {@code hoist version} and {@code --debug}, e.g. "oci (runc 1.1.5)".
   */
  String describe();
}
