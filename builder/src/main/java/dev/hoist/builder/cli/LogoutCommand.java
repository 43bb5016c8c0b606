package dev.hoist.builder.cli;

import dev.hoist.registry.DockerCredentials;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoist logout [REGISTRY]}: forgets the credentials kept for a registry. */
@Command(name = "logout", description = "Forget the login of a registry (default Docker Hub).")
final class LogoutCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REGISTRY",
      description = "host[:port] of the registry (default docker.io).")
  String registry = "docker.io";

  @Override
  public Integer call() throws IOException {
    String name = DockerCredentials.registryName(registry);
    if (DockerCredentials.fromEnvironment(hoist.env()).erase(name)) {
      hoist.out().println("Removing login credentials for " + name);
    } else {
      hoist.out().println("Not logged in to " + name);
    }
    return 0;
  }
}
