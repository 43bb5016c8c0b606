package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.store.Store;
import dev.hoist.store.StoredImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADD of git repositories through the real CLI: a repository the test makes, served by a real
 * {@code git daemon} (git://) and by a plain static HTTP server (git's "dumb" HTTP protocol, an
 * {@code http://….git} URL); files, modes, mtimes and {@code .git} checked in the built image; the
 * cache keyed by the resolved commit.
 */
class BuildGitAddTest {
  private static final Instant FIRST = Instant.parse("2024-03-01T10:00:00Z");
  private static final Instant SECOND = Instant.parse("2024-04-01T10:00:00Z");

  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;
  private Process daemon;
  private HttpServer http;

  @AfterEach
  void stopServers() throws InterruptedException {
    if (daemon != null) {
      daemon.destroy();
      daemon.waitFor();
    }
    if (http != null) {
      http.stop(0);
    }
  }

  @Test
  void addGitUrl_checksOutTheRefIntoTheImage_andCachesByCommit() throws Exception {
    Path repos = tmp.resolve("repos");
    Path work = makeRepo(repos.resolve("repo.git"));
    String url = "git://127.0.0.1:" + startDaemon(repos) + "/repo.git";
    Path store = tmp.resolve("store");

    HoistRunner.Result first = build(store, "git/app:1", url);
    assertEquals(0, first.status(), first.stderr());
    Path root = unpack(store, "git/app:1", "first");
    assertEquals("hello\n", Files.readString(root.resolve("src/a.txt")));
    assertEquals("rwxr-xr-x", mode(root.resolve("src/bin/run.sh")));
    assertEquals("rw-r--r--", mode(root.resolve("src/a.txt")));
    assertEquals("a.txt", Files.readSymbolicLink(root.resolve("src/link")).toString());
    assertEquals(FIRST, Files.getLastModifiedTime(root.resolve("src/a.txt")).toInstant());
    assertEquals(
        FIRST,
        Files.getLastModifiedTime(root.resolve("src/link"), LinkOption.NOFOLLOW_LINKS).toInstant());
    assertFalse(Files.exists(root.resolve("src/.git")), ".git kept without --keep-git-dir");
    assertEquals(List.of("inner.txt"), names(root.resolve("sub")));
    assertTrue(Files.isDirectory(root.resolve("withgit/.git")), "--keep-git-dir=true");
    assertEquals(List.of("inner.txt"), names(root.resolve("qsub")), "?tag=v1&subdir=/sub");
    assertEquals(0, (int) Files.getAttribute(root.resolve("src/a.txt"), "unix:uid"));

    // The same commits: every ADD from the cache, nothing fetched.
    HoistRunner.Result again = build(store, "git/app:2", url);
    assertEquals(0, again.status(), again.stderr());
    assertEquals(4, count(again.stderr(), " CACHED"), again.stderr());

    // A new commit on main: the tag's ADD (first) hits, the two ADDs of main miss.
    git(work, SECOND, "sh", "-c", "echo new > new.txt && git add new.txt && git commit -qm two");
    git(work, SECOND, "git", "push", "-q", "origin", "main");
    HoistRunner.Result moved = build(store, "git/app:3", url);
    assertEquals(0, moved.status(), moved.stderr());
    assertEquals(1, count(moved.stderr(), " CACHED"), moved.stderr());
    Path after = unpack(store, "git/app:3", "moved");
    assertEquals("new\n", Files.readString(after.resolve("src/new.txt")));
    assertEquals(SECOND, Files.getLastModifiedTime(after.resolve("src/a.txt")).toInstant());
  }

  @Test
  void addGitUrl_overDumbHttp_worksAndAMissingRefIsOneLineWithoutTheCredentials() throws Exception {
    Path repos = tmp.resolve("repos");
    Path work = makeRepo(repos.resolve("repo.git"));
    git(repos.resolve("repo.git"), FIRST, "git", "update-server-info");
    String url = "http://ci:s3cret@127.0.0.1:" + startHttp(repos) + "/repo.git";
    Path store = tmp.resolve("store");

    HoistRunner.Result ok = build(store, "git/http:1", url);
    assertEquals(0, ok.status(), ok.stderr());
    assertEquals(
        "hello\n", Files.readString(unpack(store, "git/http:1", "h").resolve("src/a.txt")));
    assertFalse(ok.stderr().contains("s3cret"), ok.stderr());

    Path context = Files.createDirectories(tmp.resolve("missing"));
    Files.writeString(
        context.resolve("Dockerfile"), "FROM " + base.busybox() + "\nADD " + url + "#nope /x\n");
    HoistRunner.Result missing =
        HoistRunner.inStore(store, "build", "--progress", "plain", context.toString());
    assertEquals(1, missing.status(), missing.stderr());
    String line =
        missing.stderr().lines().filter(l -> l.startsWith("hoist: ")).findFirst().orElseThrow();
    assertEquals(
        "hoist: Dockerfile:2: ADD http://127.0.0.1:"
            + http.getAddress().getPort()
            + "/repo.git#nope: the repository has no branch or tag \"nope\"; check the ref (after"
            + " #, or in ?ref=, ?tag=, ?branch=; a commit must be written in full, 40 hex digits)",
        line);
    assertFalse(missing.stderr().contains("s3cret"), missing.stderr());

    // --checksum of a git source is the commit id (or a prefix of it).
    String commit = git(work, FIRST, "git", "rev-parse", "main").strip();
    Files.writeString(
        context.resolve("Dockerfile"),
        "FROM "
            + base.busybox()
            + "\nADD --checksum="
            + commit.substring(0, 12)
            + " "
            + url
            + "#main /x\nADD --checksum=0123456789abc "
            + url
            + "#main /y\n");
    HoistRunner.Result checked =
        HoistRunner.inStore(store, "build", "--progress", "plain", context.toString());
    assertEquals(1, checked.status(), checked.stderr());
    assertTrue(checked.stderr().contains("#2 DONE"), checked.stderr());
    assertEquals(
        "hoist: Dockerfile:3: ADD http://127.0.0.1:"
            + http.getAddress().getPort()
            + "/repo.git#main: the ref is at commit "
            + commit
            + ", not --checksum=0123456789abc (for a git source the checksum is the commit id, 7"
            + " to 40 hex digits)",
        checked.stderr().lines().filter(l -> l.startsWith("hoist: ")).findFirst().orElseThrow());
  }

  /** A repository with a file, an executable, a symlink and a subdir, tag v1; returns a clone. */
  private Path makeRepo(Path bare) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    git(work, FIRST, "git", "init", "-q", "-b", "main");
    Files.writeString(work.resolve("a.txt"), "hello\n");
    Files.createDirectories(work.resolve("bin"));
    Files.writeString(work.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(
        work.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(work.resolve("sub"));
    Files.writeString(work.resolve("sub/inner.txt"), "inner\n");
    Files.createSymbolicLink(work.resolve("link"), Path.of("a.txt"));
    git(work, FIRST, "git", "add", "-A");
    git(work, FIRST, "git", "commit", "-qm", "one");
    git(work, FIRST, "git", "tag", "-a", "v1", "-m", "v1");
    git(work, FIRST, "git", "clone", "-q", "--bare", work.toString(), bare.toString());
    git(work, FIRST, "git", "remote", "add", "origin", bare.toString());
    return work;
  }

  /** Runs {@code command} in {@code dir} with commit dates {@code when}; returns its output. */
  private static String git(Path dir, Instant when, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    String date = when.getEpochSecond() + " +0000";
    pb.environment()
        .putAll(
            Map.of(
                "GIT_AUTHOR_DATE", date,
                "GIT_COMMITTER_DATE", date,
                "GIT_AUTHOR_NAME", "t",
                "GIT_AUTHOR_EMAIL", "t@example.com",
                "GIT_COMMITTER_NAME", "t",
                "GIT_COMMITTER_EMAIL", "t@example.com"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    return out;
  }

  private int startDaemon(Path base) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = tmp.resolve("git-daemon.log");
    daemon =
        new ProcessBuilder(
                "git",
                "daemon",
                "--export-all",
                "--reuseaddr",
                "--informative-errors",
                "--listen=127.0.0.1",
                "--port=" + port,
                "--base-path=" + base,
                base.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return port;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !daemon.isAlive()) {
          throw new AssertionError("git daemon did not start: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
  }

  /** Serves {@code base} as static files: all that git's dumb HTTP protocol reads. */
  private int startHttp(Path base) throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          Path file = base.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          if (!file.startsWith(base) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          byte[] body = Files.readAllBytes(file);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    return http.getAddress().getPort();
  }

  private HoistRunner.Result build(Path store, String tag, String repo) {
    return HoistRunner.inStore(
        store,
        BuildFixtures.buildArgs(
            base.busybox(),
            "--build-arg",
            "REPO=" + repo,
            "-t",
            tag,
            BuildFixtures.DOCKERFILES.resolve("git").toString()));
  }

  private Path unpack(Path storeDir, String tag, String name) throws IOException {
    try (Store store = Store.open(storeDir)) {
      StoredImage image = store.resolve(tag);
      return BuildFixtures.unpack(store, image, tmp.resolve("rootfs-" + name));
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int count(String text, String suffix) {
    return (int) text.lines().filter(l -> l.endsWith(suffix)).count();
  }
}
