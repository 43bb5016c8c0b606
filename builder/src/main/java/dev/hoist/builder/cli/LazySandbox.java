package dev.hoist.builder.cli;

import dev.hoist.runtime.Isolation;
import dev.hoist.runtime.RunResult;
import dev.hoist.runtime.RunSpec;
import dev.hoist.runtime.Sandbox;
import dev.hoist.runtime.Sandboxes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The sandbox, chosen on the first step that runs: probing for an OCI runtime costs a process start
 * that a fully cached build does not need.
 */
final class LazySandbox implements Sandbox {
  private final Isolation isolation;
  private final Path workRoot;
  private Sandbox sandbox;

  LazySandbox(Isolation isolation, Path workRoot) {
    this.isolation = isolation;
    this.workRoot = workRoot;
  }

  private synchronized Sandbox sandbox() throws IOException {
    if (sandbox == null) {
      sandbox = Sandboxes.select(isolation, workRoot);
    }
    return sandbox;
  }

  @Override
  public RunResult run(RunSpec spec) throws IOException, InterruptedException {
    return sandbox().run(spec);
  }

  @Override
  public Isolation isolation() {
    try {
      return sandbox().isolation();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    try {
      return sandbox().describe();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
