package dev.hoist.builder.cli;

import dev.hoist.image.Reference;
import dev.hoist.registry.RegistryClient;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist manifest inspect REF}: the remote manifest or index, as the registry serves it. */
@Command(
    name = "manifest",
    description = "Look at manifests in a registry.",
    subcommands = ManifestCommand.Inspect.class)
final class ManifestCommand implements Runnable {
  @ParentCommand Hoist hoist;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "missing subcommand; try 'hoist manifest inspect REF'");
  }

  /** Prints the exact bytes the registry serves (their digest is the image's digest). */
  @Command(name = "inspect", description = "Print a remote manifest or index.")
  static final class Inspect implements Callable<Integer> {
    @ParentCommand ManifestCommand parent;

    @Parameters(index = "0", paramLabel = "REF", description = "Image reference.")
    String ref;

    @Override
    public Integer call() throws IOException {
      Hoist hoist = parent.hoist;
      try (RegistryClient client = RegistryClients.create(hoist)) {
        byte[] raw = client.fetchManifest(Reference.parse(ref)).raw();
        hoist.out().write(raw);
        if (raw.length > 0 && raw[raw.length - 1] != '\n') {
          hoist.out().println();
        }
        hoist.out().flush();
      }
      return 0;
    }
  }
}
