package dev.hoist.registry;

import java.io.IOException;
import java.util.Optional;

/** Looks up the credential to use for a registry host ({@code docker.io}, {@code host:port}). */
@FunctionalInterface
public interface CredentialProvider {
  /** No credentials anywhere: every registry is accessed anonymously. */
  CredentialProvider ANONYMOUS = registry -> Optional.empty();

  Optional<Credential> forRegistry(String registry) throws IOException;

  /** Always {@code credential}, whatever the registry (for {@code hoist login}'s check). */
  static CredentialProvider of(Credential credential) {
    return registry -> Optional.of(credential);
  }
}
