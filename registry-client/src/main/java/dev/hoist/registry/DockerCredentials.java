package dev.hoist.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Registry credentials where Docker and Podman keep them: {@code $DOCKER_CONFIG/config.json}
 * (default {@code ~/.docker/config.json}) with its {@code auths} ({@code auth}, or {@code
 * username}/{@code password}, and {@code identitytoken}), {@code credHelpers} and {@code
 * credsStore} (run as {@code docker-credential-NAME get|store|erase}), then containers' {@code
 * auth.json} ({@code $REGISTRY_AUTH_FILE} or {@code $XDG_RUNTIME_DIR/containers/auth.json}). {@link
 * #store} and {@link #erase} serve {@code hoist login} and {@code hoist logout}; the file is
 * written atomically with mode 0600.
 */
public final class DockerCredentials implements CredentialProvider {
  /** The key Docker uses for Docker Hub in config files and helpers. */
  public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path configFile;
  private final List<Path> authFiles;
  private final CredentialHelpers helpers;

  /**
   * @param configFile Docker's {@code config.json} (need not exist)
   * @param authFiles further {@code auths} files read after it (containers' {@code auth.json})
   * @param helperPath directories searched for {@code docker-credential-*} programs
   */
  public DockerCredentials(Path configFile, List<Path> authFiles, List<Path> helperPath) {
    this.configFile = Objects.requireNonNull(configFile, "configFile");
    this.authFiles = List.copyOf(authFiles);
    this.helpers = new CredentialHelpers(helperPath);
  }

  /** The files and helpers of this process's environment, as Docker and Podman find them. */
  public static DockerCredentials fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, with the environment variables given (for tests, the CLI). */
  public static DockerCredentials fromEnvironment(Map<String, String> env) {
    String home = env.getOrDefault("HOME", System.getProperty("user.home", "/root"));
    Path dockerDir =
        Optional.ofNullable(env.get("DOCKER_CONFIG"))
            .map(Path::of)
            .orElse(Path.of(home, ".docker"));
    List<Path> auth = new ArrayList<>();
    if (env.containsKey("REGISTRY_AUTH_FILE")) {
      auth.add(Path.of(env.get("REGISTRY_AUTH_FILE")));
    }
    if (env.containsKey("XDG_RUNTIME_DIR")) {
      auth.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
    }
    auth.add(Path.of(home, ".config", "containers", "auth.json"));
    List<Path> path = new ArrayList<>();
    for (String p : env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      if (!p.isEmpty()) {
        path.add(Path.of(p));
      }
    }
    return new DockerCredentials(dockerDir.resolve("config.json"), auth, path);
  }

  public Path configFile() {
    return configFile;
  }

  @Override
  public Optional<Credential> forRegistry(String registry) throws IOException {
    Objects.requireNonNull(registry, "registry");
    JsonNode config = read(configFile);
    Optional<String> helper = helperFor(config, registry);
    if (helper.isPresent()) {
      Optional<Credential> c = helpers.get(helper.get(), serverUrl(registry));
      if (c.isPresent()) {
        return c;
      }
    }
    Optional<Credential> c = fromAuths(config, registry, configFile);
    if (c.isPresent()) {
      return c;
    }
    for (Path f : authFiles) {
      c = fromAuths(read(f), registry, f);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /**
   * Saves {@code credential} for {@code registry}: with its credential helper when the config names
   * one, else in {@code config.json}.
   *
   * @return where it went, for the user ("config.json path" or "credential helper NAME")
   */
  public String store(String registry, Credential credential) throws IOException {
    Objects.requireNonNull(credential, "credential");
    ObjectNode config = readObject(configFile);
    Optional<String> helper = helperFor(config, registry);
    String key = serverUrl(registry);
    ObjectNode auths = config.get("auths") instanceof ObjectNode o ? o : config.putObject("auths");
    removeMatching(auths, registry);
    if (helper.isPresent()) {
      helpers.store(helper.get(), key, credential);
      // Docker keeps an empty entry so that `docker login` lists the registry.
      auths.putObject(key);
      write(config);
      return "credential helper docker-credential-" + helper.get();
    }
    ObjectNode entry = auths.putObject(key);
    if (credential.identityToken()) {
      entry.put("identitytoken", credential.secret());
    } else {
      entry.put(
          "auth",
          Base64.getEncoder()
              .encodeToString(
                  (credential.username() + ":" + credential.secret())
                      .getBytes(StandardCharsets.UTF_8)));
    }
    write(config);
    return configFile.toString();
  }

  /** Forgets the credential of {@code registry}; whether there was one. */
  public boolean erase(String registry) throws IOException {
    ObjectNode config = readObject(configFile);
    Optional<String> helper = helperFor(config, registry);
    boolean erased = false;
    if (helper.isPresent()) {
      erased = helpers.erase(helper.get(), serverUrl(registry));
    }
    if (config.has("auths") && config.get("auths") instanceof ObjectNode auths) {
      erased |= removeMatching(auths, registry);
      write(config);
    }
    return erased;
  }

  /** The key Docker files credentials under: Docker Hub's v1 URL, else {@code host[:port]}. */
  static String serverUrl(String registry) {
    return normalize(registry).equals("docker.io") ? DOCKER_HUB_KEY : registry;
  }

  /**
   * The registry a user means by what they typed for {@code hoist login}: {@code
   * https://host:port/v1/} → {@code host:port}, Docker Hub's aliases → {@code docker.io}.
   */
  public static String registryName(String typed) {
    return normalize(typed);
  }

  /**
   * {@code https://host:port/v1/} → {@code host:port}; Docker Hub's aliases → {@code docker.io}.
   */
  static String normalize(String key) {
    String k = key.trim();
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    int slash = k.indexOf('/');
    if (slash >= 0) {
      k = k.substring(0, slash);
    }
    return switch (k) {
      case "index.docker.io", "registry-1.docker.io", "docker.io" -> "docker.io";
      default -> k;
    };
  }

  private static Optional<String> helperFor(JsonNode config, String registry) {
    JsonNode helpers = config.path("credHelpers");
    for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (normalize(e.getKey()).equals(normalize(registry)) && !e.getValue().asText().isEmpty()) {
        return Optional.of(e.getValue().asText());
      }
    }
    String store = config.path("credsStore").asText("");
    return store.isEmpty() ? Optional.empty() : Optional.of(store);
  }

  private static Optional<Credential> fromAuths(JsonNode config, String registry, Path file)
      throws IOException {
    JsonNode auths = config.path("auths");
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!normalize(e.getKey()).equals(normalize(registry))) {
        continue;
      }
      JsonNode entry = e.getValue();
      String user = entry.path("username").asText("");
      String password = entry.path("password").asText("");
      String auth = entry.path("auth").asText("");
      if (!auth.isEmpty()) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw new IOException(
              "the 'auth' entry for "
                  + e.getKey()
                  + " in "
                  + file
                  + " is not base64; run hoist"
                  + " login "
                  + registry
                  + " again");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IOException(
              "the 'auth' entry for "
                  + e.getKey()
                  + " in "
                  + file
                  + " is not user:password;"
                  + " run hoist login "
                  + registry
                  + " again");
        }
        user = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
      String identity = entry.path("identitytoken").asText("");
      if (!identity.isEmpty()) {
        return Optional.of(Credential.identityToken(user, identity));
      }
      if (!user.isEmpty() || !password.isEmpty()) {
        return Optional.of(Credential.password(user, password));
      }
    }
    return Optional.empty();
  }

  private static boolean removeMatching(ObjectNode auths, String registry) {
    List<String> keys = new ArrayList<>();
    auths.fieldNames().forEachRemaining(keys::add);
    boolean removed = false;
    for (String k : keys) {
      if (normalize(k).equals(normalize(registry))) {
        removed |= !auths.get(k).isEmpty();
        auths.remove(k);
      }
    }
    return removed;
  }

  private static JsonNode read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "cannot read "
              + file
              + " ("
              + e.getMessage().lines().findFirst().orElse("")
              + ");"
              + " fix or remove the file",
          e);
    }
  }

  private ObjectNode readObject(Path file) throws IOException {
    JsonNode n = read(file);
    if (n instanceof ObjectNode o) {
      return o;
    }
    throw new IOException(file + " is not a JSON object; fix or remove the file");
  }

  /** Temp file (0600) beside the config, fsync, atomic rename. */
  private void write(ObjectNode config) throws IOException {
    Path dir = configFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".config", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file system has no modes; nothing more we can do
      }
      try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(config)));
        ch.force(true);
      }
      Files.move(
          tmp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
