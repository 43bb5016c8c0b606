package dev.hoist.builder.cli;

import dev.hoist.registry.RegistryClient;
import java.util.function.Supplier;

/**
 * The registry client, made on first use: a build whose base images are stored and whose steps are
 * cached never pays for an HTTP client and its TLS trust store.
 */
final class LazyRegistryClient implements Supplier<RegistryClient>, AutoCloseable {
  private final Hoist hoist;
  private RegistryClient client;

  LazyRegistryClient(Hoist hoist) {
    this.hoist = hoist;
  }

  @Override
  public synchronized RegistryClient get() {
    if (client == null) {
      client = RegistryClients.create(hoist);
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
