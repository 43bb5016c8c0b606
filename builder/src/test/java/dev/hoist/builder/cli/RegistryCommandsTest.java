package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.image.Manifest;
import dev.hoist.store.Store;
import dev.hoist.testkit.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * login, push, pull, manifest inspect, copy and logout through the CLI entry point against a real
 * registry with htpasswd auth.
 */
class RegistryCommandsTest {
  static LocalRegistry registry;

  @TempDir Path dir;
  Path root;
  Map<String, String> env;
  Manifest manifest;

  record Result(int status, String stdout, String stderr) {}

  @BeforeAll
  static void start() {
    registry = LocalRegistry.builder().htpasswd("carol", "c4rol-pw").start();
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  Result hoist(Path storeRoot, String... args) {
    List<String> all = new ArrayList<>(List.of("--root", storeRoot.toString()));
    all.addAll(List.of(args));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        Hoist.run(
            all.toArray(String[]::new),
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Result hoist(String... args) {
    return hoist(root, args);
  }

  Result login(String password) {
    LoginCommand.stdin =
        new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      return hoist("login", "-u", "carol", "--password-stdin", registry.host());
    } finally {
      LoginCommand.stdin = System.in;
    }
  }

  @BeforeEach
  void storeOneImage() throws IOException {
    root = dir.resolve("root");
    env = Map.of("DOCKER_CONFIG", dir.resolve("docker").toString(), "HOME", dir.toString());
    manifest = TwoLayerImage.store(root, "a.txt", "hello", "b.txt", "registry".repeat(5000));
  }

  @Test
  void login_checksThePasswordAndKeepsItInAConfigFileOnlyTheUserReads() throws IOException {
    Result bad = login("wrong-password-77");
    assertEquals(1, bad.status());
    assertEquals(1, bad.stderr().lines().count(), bad.stderr());
    assertTrue(bad.stderr().contains("401"), bad.stderr());
    assertFalse(bad.stderr().contains("wrong-password-77"));
    assertFalse(Files.exists(dir.resolve("docker/config.json")));

    Result ok = login("c4rol-pw");
    assertEquals(0, ok.status(), ok.stderr());
    assertTrue(ok.stdout().startsWith("Login Succeeded"), ok.stdout());
    Path config = dir.resolve("docker/config.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    assertTrue(Files.readString(config).contains(registry.host()));

    Result out = hoist("logout", registry.host());
    assertEquals(0, out.status(), out.stderr());
    assertFalse(Files.readString(config).contains(registry.host()));
  }

  @Test
  void login_intoAWorldReadableConfigLeavesItReadableByTheUserOnlyWithItsOtherSettings()
      throws IOException {
    Path config = dir.resolve("docker/config.json");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "{\"detachKeys\":\"ctrl-x\"}");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

    assertEquals(0, login("c4rol-pw").status());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
    String text = Files.readString(config);
    assertTrue(text.contains("ctrl-x"), text);
    assertTrue(text.contains(registry.host()), text);
    try (var files = Files.list(config.getParent())) {
      assertEquals(List.of(config), files.toList(), "no temporary file left beside the config");
    }

    assertEquals(0, hoist("logout", registry.host()).status());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
  }

  @Test
  void pushThenPullIntoAnotherStoreThenManifestInspect() throws IOException {
    assertEquals(0, login("c4rol-pw").status());
    String ref = registry.host() + "/team/app:1";
    Result push = hoist("push", "local/app:1", ref);
    assertEquals(0, push.status(), push.stderr());
    assertTrue(push.stdout().contains("1: digest: " + manifest.digest()), push.stdout());

    Path other = dir.resolve("other");
    Result pull = hoist(other, "pull", ref);
    assertEquals(0, pull.status(), pull.stderr());
    assertTrue(pull.stdout().contains("Digest: " + manifest.digest()), pull.stdout());
    try (Store store = Store.open(other)) {
      assertEquals(manifest.digest(), store.resolve(ref).manifest().digest());
    }
    Result again = hoist(other, "pull", ref);
    assertTrue(again.stdout().contains("Image is up to date"), again.stdout());

    Result inspect = hoist("manifest", "inspect", ref);
    assertEquals(0, inspect.status(), inspect.stderr());
    assertEquals(new String(manifest.raw(), StandardCharsets.UTF_8), inspect.stdout().strip());
  }

  @Test
  void copy_betweenTheStoreAnOciLayoutTheRegistryAndADockerArchive() throws IOException {
    assertEquals(0, login("c4rol-pw").status());
    Path layout = dir.resolve("layout");
    Result toOci = hoist("copy", "hoist:local/app:1", "oci:" + layout + ":v1");
    assertEquals(0, toOci.status(), toOci.stderr());
    assertArrayEquals(
        manifest.raw(),
        Files.readAllBytes(layout.resolve("blobs/sha256/" + manifest.digest().hex())));

    String ref = registry.host() + "/copied/app:v1";
    Result toRegistry =
        hoist(dir.resolve("fresh"), "copy", "oci:" + layout + ":v1", "docker://" + ref);
    assertEquals(0, toRegistry.status(), toRegistry.stderr());

    Path tar = dir.resolve("app.tar");
    Result toArchive =
        hoist(
            dir.resolve("third"),
            "copy",
            "docker://" + ref,
            "docker-archive:" + tar + ":copied/app:v1");
    assertEquals(0, toArchive.status(), toArchive.stderr());
    assertTrue(Files.size(tar) > 40_000);
  }

  @Test
  void pullFromALoopbackPortWhereNothingListensFailsWithOneLineThatNamesHttp() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = hoist("pull", "127.0.0.1:" + port + "/app:1");
    assertEquals(1, r.status());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    // Loopback registries may be plain HTTP: an https:// URL here misled users of one.
    assertTrue(r.stderr().contains("http://127.0.0.1:" + port + "/v2/app/manifests/1"), r.stderr());
    assertTrue(r.stderr().contains("cannot connect to 127.0.0.1:" + port), r.stderr());
  }

  @Test
  void pullOfAnUnknownImageFailsWithOneLine() {
    Result r = hoist("pull", registry.host() + "/nothing/here:1");
    assertEquals(1, r.status());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("hoist: "), r.stderr());
  }
}
