package dev.hoist.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What a registry login holds: a user name with a password, or an OAuth2 refresh token (Docker's
 * {@code identitytoken}). {@link #toString()} never shows the secret.
 */
public record Credential(String username, String secret, boolean identityToken) {
  public Credential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
  }

  public static Credential password(String username, String password) {
    return new Credential(username, password, false);
  }

  /** An identity (refresh) token; Docker stores it with the user name {@code <token>}. */
  public static Credential identityToken(String username, String token) {
    return new Credential(username, token, true);
  }

  /** The password, empty for an identity token. */
  public Optional<String> password() {
    return identityToken ? Optional.empty() : Optional.of(secret);
  }

  @Override
  public String toString() {
    return "Credential[" + username + (identityToken ? ", identity token" : ", password") + "]";
  }
}
