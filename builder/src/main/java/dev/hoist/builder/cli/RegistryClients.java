package dev.hoist.builder.cli;

import dev.hoist.registry.DockerCredentials;
import dev.hoist.registry.RegistryClient;
import java.util.HashSet;

/** The registry client every command uses, set up from hoist's global options. */
final class RegistryClients {
  private RegistryClients() {}

  /**
   * A client with the user's Docker credentials, {@code --insecure-registry} hosts and {@code
   * --tls-verify}; with {@code --debug}, one line per HTTP exchange on stderr (never a secret).
   */
  static RegistryClient create(Hoist hoist) {
    return create(hoist, new java.io.PrintWriter(hoist.err(), true));
  }

  /** As {@link #create(Hoist)}, with debug lines going to {@code err}. */
  static RegistryClient create(Hoist hoist, java.io.PrintWriter err) {
    RegistryClient.Builder b =
        RegistryClient.builder()
            .credentials(DockerCredentials.fromEnvironment(hoist.env()))
            .insecureRegistries(new HashSet<>(hoist.insecureRegistries()))
            .tlsVerify(hoist.tlsVerify());
    if (hoist.debug()) {
      b.log(line -> err.println("debug: " + line));
    }
    return b.build();
  }
}
