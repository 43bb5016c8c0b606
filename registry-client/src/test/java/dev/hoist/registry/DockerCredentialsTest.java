package dev.hoist.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerCredentialsTest {
  @TempDir Path tmp;

  private DockerCredentials creds() {
    return new DockerCredentials(
        tmp.resolve("docker/config.json"),
        List.of(tmp.resolve("containers/auth.json")),
        List.of(tmp.resolve("bin")));
  }

  private void config(String json) throws IOException {
    Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(tmp.resolve("docker/config.json"), json);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({
    "https://index.docker.io/v1/, docker.io",
    "index.docker.io, docker.io",
    "localhost:5000, localhost:5000",
    "https://ghcr.io, ghcr.io",
    "http://reg.example.com:8443/v2/, reg.example.com:8443",
  })
  void forRegistry_matchesTheKeysDockerWrites(String key, String registry) throws IOException {
    config("{\"auths\":{\"" + key + "\":{\"auth\":\"" + b64("alice:pa:ss") + "\"}}}");
    assertEquals(Optional.of(Credential.password("alice", "pa:ss")), creds().forRegistry(registry));
    assertEquals(Optional.empty(), creds().forRegistry("other.example.com"));
  }

  @Test
  void forRegistry_readsUsernamePasswordAndIdentityTokens() throws IOException {
    config(
        "{\"auths\":{\"a.io\":{\"username\":\"u\",\"password\":\"p\"},"
            + "\"b.io\":{\"auth\":\""
            + b64("bob:")
            + "\",\"identitytoken\":\"refresh-1\"}}}");
    assertEquals(Optional.of(Credential.password("u", "p")), creds().forRegistry("a.io"));
    assertEquals(
        Optional.of(Credential.identityToken("bob", "refresh-1")), creds().forRegistry("b.io"));
  }

  @Test
  void forRegistry_fallsBackToContainersAuthJson() throws IOException {
    Files.createDirectories(tmp.resolve("containers"));
    Files.writeString(
        tmp.resolve("containers/auth.json"),
        "{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("q:w") + "\"}}}");
    assertEquals(Optional.of(Credential.password("q", "w")), creds().forRegistry("quay.io"));
  }

  @Test
  void forRegistry_reportsABrokenAuthEntryInOneLine() throws IOException {
    config("{\"auths\":{\"a.io\":{\"auth\":\"%%%\"}}}");
    IOException e = assertThrows(IOException.class, () -> creds().forRegistry("a.io"));
    assertTrue(e.getMessage().contains("not base64"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  /** A credential helper that keeps one credential per server URL in files under its dir. */
  private Path fakeHelper(String name) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path store = Files.createDirectories(tmp.resolve("helper-store"));
    Path exe = bin.resolve("docker-credential-" + name);
    Files.writeString(
        exe,
        """
        #!/bin/sh
        dir=%s
        input=$(cat)
        echo "$1 $input" >> "$dir/calls"
        case "$1" in
          get)   key=$(echo "$input" | tr '/:' '__')
                 if [ -f "$dir/$key" ]; then cat "$dir/$key"; else echo "credentials not found in native keychain"; exit 1; fi ;;
          store) url=$(echo "$input" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/')
                 key=$(echo "$url" | tr '/:' '__')
                 echo "$input" > "$dir/$key" ;;
          erase) key=$(echo "$input" | tr '/:' '__'); rm "$dir/$key" ;;
        esac
        """
            .formatted(store));
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return store;
  }

  @Test
  void credHelpers_storeGetAndEraseThroughTheHelperProtocol() throws IOException {
    Path store = fakeHelper("fake");
    config("{\"credHelpers\":{\"ghcr.io\":\"fake\"},\"other\":1}");
    DockerCredentials c = creds();
    assertEquals(
        "credential helper docker-credential-fake",
        c.store("ghcr.io", Credential.password("octo", "ghp_secret")));
    assertEquals(Optional.of(Credential.password("octo", "ghp_secret")), c.forRegistry("ghcr.io"));
    String saved = Files.readString(tmp.resolve("docker/config.json"));
    assertFalse(saved.contains("ghp_secret"), saved);
    assertTrue(saved.contains("\"other\""), "keeps what it does not know: " + saved);
    assertTrue(c.erase("ghcr.io"));
    assertEquals(Optional.empty(), c.forRegistry("ghcr.io"));
    assertTrue(Files.readString(store.resolve("calls")).contains("erase ghcr.io"));
  }

  @Test
  void credsStore_usesDockerHubsV1KeyAndMarksIdentityTokens() throws IOException {
    Path store = fakeHelper("desktop");
    config("{\"credsStore\":\"desktop\"}");
    DockerCredentials c = creds();
    c.store("docker.io", Credential.identityToken("<token>", "refresh-xyz"));
    assertEquals(
        Optional.of(Credential.identityToken("<token>", "refresh-xyz")),
        c.forRegistry("docker.io"));
    assertTrue(
        Files.readString(store.resolve("calls"))
            .contains("get " + DockerCredentials.DOCKER_HUB_KEY));
  }

  @Test
  void store_writesTheConfigWithMode0600AndEraseRemovesTheEntry() throws IOException {
    DockerCredentials c = creds();
    c.store("localhost:5000", Credential.password("u", "p"));
    Path f = tmp.resolve("docker/config.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(Optional.of(Credential.password("u", "p")), c.forRegistry("localhost:5000"));
    assertTrue(c.erase("localhost:5000"));
    assertFalse(c.erase("localhost:5000"));
    assertEquals(Optional.empty(), c.forRegistry("localhost:5000"));
  }

  @Test
  void credential_toStringHidesTheSecret() {
    assertFalse(Credential.password("u", "hunter2").toString().contains("hunter2"));
  }
}
