package dev.hoist.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.testkit.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Registry passwords and bearer tokens never show: not in {@code hoist --debug} output of login,
 * push and pull (nor in their failures), not in any process's command line or environment while
 * hoist and its credential helper run, and a helper gets the secret on stdin only. Real
 * docker-registry with htpasswd and with token auth; hoist as its own JVM for the process list.
 */
class CredentialHygieneTest {
  private static final String USER = "erin";
  private static final String PASSWORD = "Hyg13ne-pw-5f3a9c";
  private static final String WRONG = "Wr0ng-pw-77b1e4";

  static LocalRegistry basic;
  static LocalRegistry token;

  @TempDir Path dir;

  enum Auth {
    HTPASSWD,
    TOKEN
  }

  @BeforeAll
  static void start() {
    basic = LocalRegistry.builder().htpasswd(USER, PASSWORD).start();
    token = LocalRegistry.builder().tokenAuth(USER, PASSWORD, false).start();
  }

  @AfterAll
  static void stop() {
    if (basic != null) {
      basic.close();
    }
    if (token != null) {
      token.close();
    }
  }

  private static LocalRegistry registry(Auth auth) {
    return auth == Auth.HTPASSWD ? basic : token;
  }

  /** The strings that must never be printed: the secrets and what carries them on the wire. */
  private static List<String> secrets() {
    String basicAuth =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String wrongAuth =
        Base64.getEncoder().encodeToString((USER + ":" + WRONG).getBytes(StandardCharsets.UTF_8));
    // "eyJ" starts every JWT (base64 of '{"'): the token issuer's tokens are JWTs.
    return List.of(PASSWORD, WRONG, basicAuth, wrongAuth, "eyJ", "Bearer ", "Basic ");
  }

  private static void assertNoSecret(String where, String text) {
    for (String s : secrets()) {
      assertFalse(text.contains(s), where + " shows '" + s + "':\n" + text);
    }
  }

  /** The environment of every in-process run: Docker config and home in the test's directory. */
  private Map<String, String> env() {
    return Map.of("DOCKER_CONFIG", dir.resolve("docker").toString(), "HOME", dir.toString());
  }

  private HoistRunner.Result inProcess(String... args) {
    return HoistRunner.run(env(), args);
  }

  /** A one-layer image tagged {@code local/app:1} in {@code root}, built by hoist. */
  private void buildImage(Path root) throws IOException {
    Path context = dir.resolve("context");
    Files.createDirectories(context);
    Files.writeString(context.resolve("a.txt"), "hygiene");
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
    HoistRunner.Result built =
        inProcess("--root", root.toString(), "build", "-t", "local/app:1", context.toString());
    assertEquals(0, built.status(), built.stderr());
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void debugOutputOfLoginPushPullAndTheirFailuresNeverShowsASecret(Auth auth) throws IOException {
    LocalRegistry r = registry(auth);
    Path root = dir.resolve("root");
    buildImage(root);
    String ref = r.host() + "/hygiene/app:1";
    StringBuilder all = new StringBuilder();

    HoistRunner.Result badLogin = login(r, WRONG, "--debug");
    assertEquals(1, badLogin.status(), badLogin.stderr());
    // --debug adds request lines and a stack trace; the failure itself is still one line.
    assertEquals(
        1,
        badLogin.stderr().lines().filter(l -> l.startsWith("hoist: ")).count(),
        badLogin.stderr());
    all.append(badLogin.stdout()).append(badLogin.stderr());

    HoistRunner.Result deniedPull =
        inProcess("--debug", "--root", dir.resolve("denied").toString(), "pull", ref);
    assertEquals(1, deniedPull.status(), deniedPull.stderr());
    all.append(deniedPull.stdout()).append(deniedPull.stderr());

    HoistRunner.Result login = login(r, PASSWORD, "--debug");
    assertEquals(0, login.status(), login.stderr());
    HoistRunner.Result push =
        inProcess("--debug", "--root", root.toString(), "push", "local/app:1", ref);
    assertEquals(0, push.status(), push.stderr());
    HoistRunner.Result pull =
        inProcess("--debug", "--root", dir.resolve("other").toString(), "pull", ref);
    assertEquals(0, pull.status(), pull.stderr());
    HoistRunner.Result inspect =
        inProcess("--debug", "--root", root.toString(), "manifest", "inspect", ref);
    assertEquals(0, inspect.status(), inspect.stderr());
    for (HoistRunner.Result x : List.of(login, push, pull, inspect)) {
      all.append(x.stdout()).append(x.stderr());
    }

    String text = all.toString();
    // The debug log was on and the credentials were used: the check below can see what it must.
    assertTrue(text.contains("debug: GET "), text);
    assertTrue(text.contains("-> 401"), text);
    if (auth == Auth.TOKEN) {
      assertTrue(text.contains("/token -> 200"), text);
    }
    assertNoSecret("hoist --debug output", text);
    // The config file holds the secret (base64), readable by its owner only.
    Path config = dir.resolve("docker/config.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
  }

  private HoistRunner.Result login(LocalRegistry r, String password, String... global) {
    LoginCommand.stdin =
        new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      List<String> args = new ArrayList<>(List.of(global));
      args.addAll(List.of("login", "-u", USER, "--password-stdin", r.host()));
      return inProcess(args.toArray(String[]::new));
    } finally {
      LoginCommand.stdin = System.in;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"-p SECRET", "-pSECRET", "--password SECRET", "--password=SECRET", "SECRET"})
  void loginHasNoPasswordFlagAndNeverEchoesAPasswordGivenOnTheCommandLine(String form) {
    // Docker accepts -p with a warning that the password shows in the process list; hoist has no
    // such flag (only --password-stdin), and its usage error must not repeat the secret, which
    // picocli's would ("Unknown option: '--password=...'").
    List<String> args = new ArrayList<>(List.of("login", "-u", USER));
    for (String word : form.split(" ")) {
      args.add(word.replace("SECRET", PASSWORD));
    }
    args.add(basic.host());
    HoistRunner.Result r = inProcess(args.toArray(String[]::new));
    assertEquals(2, r.status(), r.stderr());
    assertTrue(r.stderr().contains("--password-stdin"), r.stderr());
    assertNoSecret("the usage error", r.stdout() + r.stderr());
    assertFalse(Files.exists(dir.resolve("docker/config.json")));
  }

  /**
   * A {@code docker-credential-spy} helper that records its argv, environment and stdin, keeps what
   * {@code store} gives it, and answers {@code get} with it; it sleeps so that the process sampler
   * sees it running.
   */
  private Path spyHelper(Path bin, Path log) throws IOException {
    Files.createDirectories(bin);
    Files.createDirectories(log);
    Path helper = bin.resolve("docker-credential-spy");
    Files.writeString(
        helper,
        String.join(
            "\n",
            "#!/bin/sh",
            "log='" + log + "'",
            "echo \"$0 $*\" >> \"$log/argv\"",
            "env >> \"$log/env\"",
            "input=$(cat)",
            "printf '%s\\n' \"$input\" >> \"$log/stdin\"",
            "sleep 0.2",
            "case \"$1\" in",
            "  store) printf '%s' \"$input\" > \"$log/stored\" ;;",
            "  get) if [ -f \"$log/stored\" ]; then cat \"$log/stored\";"
                + " else echo 'credentials not found in native keychain'; exit 1; fi ;;",
            "  erase) rm -f \"$log/stored\" ;;",
            "esac",
            ""));
    helper.toFile().setExecutable(true);
    return helper;
  }

  @Test
  void aCredentialHelperGetsTheSecretOnStdinAndNoProcessShowsItInItsCommandLineOrEnvironment()
      throws Exception {
    LocalRegistry r = token;
    Path bin = dir.resolve("bin");
    Path log = dir.resolve("helper-log");
    spyHelper(bin, log);
    Path dockerConfig = dir.resolve("docker");
    Files.createDirectories(dockerConfig);
    Files.writeString(dockerConfig.resolve("config.json"), "{\"credsStore\":\"spy\"}");
    Path root = dir.resolve("root");
    buildImage(root);
    String ref = r.host() + "/spy/app:1";

    ProcessSampler sampler = new ProcessSampler();
    sampler.start();
    List<String> outputs = new ArrayList<>();
    try {
      outputs.add(
          run(
              bin,
              root,
              PASSWORD + "\n",
              "--debug",
              "login",
              "-u",
              USER,
              "--password-stdin",
              r.host()));
      outputs.add(run(bin, root, "", "--debug", "push", "local/app:1", ref));
      outputs.add(run(bin, dir.resolve("other"), "", "--debug", "pull", ref));
      outputs.add(run(bin, root, "", "logout", r.host()));
    } finally {
      sampler.stop();
    }

    // The sampler saw hoist and the helper running, so it would have seen a secret in them.
    assertTrue(sampler.sawHoist.get(), "the sampler never saw hoist running");
    assertTrue(sampler.sawHelper.get(), "the sampler never saw the helper running");
    assertEquals(Set.of(), sampler.leaks, "processes showing the password");
    // The helper got the secret, on stdin only.
    assertTrue(Files.readString(log.resolve("stdin")).contains(PASSWORD));
    // login stores, push and pull get (once per token they fetch), logout erases.
    List<String> argv = Files.readAllLines(log.resolve("argv"));
    List<String> verbs = argv.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    assertEquals("store", verbs.get(0), argv.toString());
    assertEquals("erase", verbs.get(verbs.size() - 1), argv.toString());
    assertTrue(verbs.size() >= 4, argv.toString());
    assertEquals(Set.of("get"), Set.copyOf(verbs.subList(1, verbs.size() - 1)), argv.toString());
    for (String line : argv) {
      assertTrue(line.matches(".*/docker-credential-spy (store|get|erase)"), line);
    }
    assertFalse(Files.readString(log.resolve("env")).contains(PASSWORD), "helper environment");
    assertNoSecret("hoist output", String.join("\n", outputs));
    // Nothing kept it in the config file: the helper holds it.
    assertFalse(Files.readString(dockerConfig.resolve("config.json")).contains("auth\""));
  }

  /**
   * Runs {@code hoist --root ROOT ARGS} as its own JVM with {@code bin} first on the PATH, feeds
   * {@code stdin}, and returns its output; it must exit 0.
   */
  private String run(Path bin, Path root, String stdin, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(HoistJvm.command(root, args)).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.remove("HOIST_ROOT");
    e.put("DOCKER_CONFIG", dir.resolve("docker").toString());
    e.put("HOME", dir.toString());
    e.put("PATH", bin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("hoist " + String.join(" ", args) + " hung:\n" + out);
    }
    assertEquals(0, p.exitValue(), "hoist " + String.join(" ", args) + ":\n" + out);
    return out;
  }

  /**
   * Reads every process's {@code /proc/PID/cmdline} (and, for hoist and the helper, {@code
   * environ}) in a loop, recording any that holds the password.
   */
  private static final class ProcessSampler {
    final Set<String> leaks = ConcurrentHashMap.newKeySet();
    final AtomicBoolean sawHoist = new AtomicBoolean();
    final AtomicBoolean sawHelper = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::loop, "process-sampler");
    private final long self = ProcessHandle.current().pid();

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private void loop() {
      while (running.get()) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
          procs
              .filter(p -> p.getFileName().toString().matches("\\d+"))
              .filter(p -> Long.parseLong(p.getFileName().toString()) != self)
              .forEach(this::check);
        } catch (IOException | RuntimeException gone) {
          // a process ended while listing: next round
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void check(Path proc) {
      String cmdline = read(proc.resolve("cmdline"));
      boolean hoist = cmdline.contains("dev.hoist.builder.cli.Hoist");
      boolean helper = cmdline.contains("docker-credential-spy");
      sawHoist.compareAndSet(false, hoist);
      sawHelper.compareAndSet(false, helper);
      if (cmdline.contains(PASSWORD)) {
        leaks.add("cmdline of " + proc.getFileName() + ": " + cmdline);
      }
      if ((hoist || helper) && read(proc.resolve("environ")).contains(PASSWORD)) {
        leaks.add("environment of " + proc.getFileName() + ": " + cmdline);
      }
    }

    private static String read(Path file) {
      try {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ');
      } catch (IOException | RuntimeException gone) {
        return "";
      }
    }
  }
}
