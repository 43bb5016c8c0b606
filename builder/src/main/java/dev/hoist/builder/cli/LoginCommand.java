package dev.hoist.builder.cli;

import dev.hoist.registry.Credential;
import dev.hoist.registry.CredentialProvider;
import dev.hoist.registry.DockerCredentials;
import dev.hoist.registry.RegistryClient;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hoist login [-u USER] [--password-stdin] [REGISTRY]}: checks the credentials against the
 * registry, then keeps them where Docker does (its credential helper, or config.json with mode
 * 0600).
 */
@Command(name = "login", description = "Log in to a registry (default Docker Hub).")
final class LoginCommand implements Callable<Integer> {
  @ParentCommand Hoist hoist;

  @Option(
      names = {"-u", "--username"},
      paramLabel = "USER",
      description = "User name (asked for on a terminal when missing).")
  String username;

  @Option(
      names = "--password-stdin",
      description = "Read the password (or token) from standard input.")
  boolean passwordStdin;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "REGISTRY",
      description = "host[:port] of the registry (default docker.io).")
  String registry = "docker.io";

  /** Standard input; tests replace it. */
  static InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    String name = DockerCredentials.registryName(registry);
    Console console = System.console();
    if (username == null) {
      if (console == null) {
        throw new IllegalArgumentException(
            "login to " + name + ": no user name; pass -u USER (stdin is not a terminal)");
      }
      username = console.readLine("Username: ");
    }
    String password;
    if (passwordStdin) {
      password = new String(stdin.readAllBytes(), StandardCharsets.UTF_8).strip();
    } else if (console != null) {
      password = new String(console.readPassword("Password: "));
    } else {
      throw new IllegalArgumentException(
          "login to " + name + ": no password; pipe it in with --password-stdin");
    }
    if (username.isEmpty() || password.isEmpty()) {
      throw new IllegalArgumentException(
          "login to " + name + ": user name and password must not be empty");
    }
    Credential credential = Credential.password(username, password);
    RegistryClient.Builder b =
        RegistryClient.builder()
            .credentials(CredentialProvider.of(credential))
            .insecureRegistries(new HashSet<>(hoist.insecureRegistries()))
            .tlsVerify(hoist.tlsVerify());
    if (hoist.debug()) {
      b.log(line -> hoist.err().println("debug: " + line));
    }
    try (RegistryClient client = b.build()) {
      client.checkLogin(name);
    }
    String where = DockerCredentials.fromEnvironment(hoist.env()).store(name, credential);
    hoist.out().println("Login Succeeded (credentials kept in " + where + ")");
    return 0;
  }
}
