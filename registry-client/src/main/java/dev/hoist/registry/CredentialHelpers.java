package dev.hoist.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-NAME get|store|erase} as Docker's credential helper protocol says:
 * the server URL (or a JSON credential for {@code store}) on stdin, JSON on stdout; a user name
 * {@code <token>} marks an identity token. Secrets never go into messages.
 */
final class CredentialHelpers {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN_USER = "<token>";

  private final List<Path> path;

  CredentialHelpers(List<Path> path) {
    this.path = List.copyOf(path);
  }

  Optional<Credential> get(String name, String serverUrl) throws IOException {
    Result r = run(name, "get", serverUrl);
    if (r.exit != 0) {
      if (r.out.toLowerCase().contains("credentials not found")) {
        return Optional.empty();
      }
      throw new IOException(
          "docker-credential-"
              + name
              + " get "
              + serverUrl
              + " failed (exit "
              + r.exit
              + ": "
              + r.out.strip().lines().findFirst().orElse("")
              + "); check the helper or run hoist"
              + " login again");
    }
    JsonNode n = JSON.readTree(r.out);
    String user = n.path("Username").asText("");
    String secret = n.path("Secret").asText("");
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        user.equals(TOKEN_USER)
            ? Credential.identityToken(user, secret)
            : Credential.password(user, secret));
  }

  void store(String name, String serverUrl, Credential c) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("ServerURL", serverUrl);
    n.put("Username", c.identityToken() ? TOKEN_USER : c.username());
    n.put("Secret", c.secret());
    Result r = run(name, "store", JSON.writeValueAsString(n));
    if (r.exit != 0) {
      throw new IOException(
          "docker-credential-"
              + name
              + " store failed for "
              + serverUrl
              + " (exit "
              + r.exit
              + "); check the helper");
    }
  }

  boolean erase(String name, String serverUrl) throws IOException {
    Result r = run(name, "erase", serverUrl);
    return r.exit == 0;
  }

  private record Result(int exit, String out) {}

  private Result run(String name, String verb, String input) throws IOException {
    Path exe =
        path.stream()
            .map(d -> d.resolve("docker-credential-" + name))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(
                () ->
                    new IOException(
                        "the Docker config names credential helper '"
                            + name
                            + "' but docker-credential-"
                            + name
                            + " is not on the PATH; install it or remove it from the config"));
    Process p = new ProcessBuilder(exe.toString(), verb).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("docker-credential-" + name + " " + verb + " did not finish in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for docker-credential-" + name);
    }
    return new Result(p.exitValue(), out);
  }
}
