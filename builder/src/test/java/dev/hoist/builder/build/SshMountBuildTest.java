package dev.hoist.builder.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.builder.ssh.SshTools;
import dev.hoist.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code RUN --mount=type=ssh} with {@code --ssh}, end to end: the host's own {@code ssh-add} (with
 * the libraries {@code ldd} names) is copied into a busybox image, and lists in the step the keys
 * of the agent hoist forwards.
 */
class SshMountBuildTest {
  @RegisterExtension static final BusyboxRegistry base = new BusyboxRegistry();
  @TempDir Path tmp;

  /**
   * A context whose {@code root/} holds ssh-add and its libraries, and the Dockerfile {@code
   * steps}.
   */
  private Path context(String steps) throws IOException {
    Path ctx = BuildFixtures.context(tmp.resolve("ctx"), "COPY root/ /\n" + steps);
    List<String> files = new ArrayList<>(List.of("/usr/bin/ssh-add"));
    Matcher m =
        Pattern.compile("(/\\S+)").matcher(SshTools.run(Map.of(), "ldd", "/usr/bin/ssh-add"));
    while (m.find()) {
      files.add(m.group(1));
    }
    for (String f : files) {
      Path to = ctx.resolve("root" + f);
      Files.createDirectories(to.getParent());
      Files.copy(Path.of(f).toRealPath(), to, StandardCopyOption.REPLACE_EXISTING);
      to.toFile().setExecutable(true);
    }
    return ctx;
  }

  private HoistRunner.Result build(Map<String, String> env, Path ctx, String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.add(ctx.toString());
    return HoistRunner.inStore(
        env,
        tmp.resolve("store"),
        BuildFixtures.buildArgs(base.busybox(), args.toArray(String[]::new)));
  }

  private String fileOf(String tag, String path) throws IOException {
    try (Store store = Store.open(tmp.resolve("store"))) {
      return Files.readString(
          BuildFixtures.unpack(
                  store, store.resolve(tag), tmp.resolve("fs-" + tag.replace(':', '-')))
              .resolve(path));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "chroot"})
  void theStepListsTheKeysOfTheHostAgent(String isolation) throws IOException {
    Path key = SshTools.keygen(tmp, "ed25519");
    Path ctx = context("RUN --mount=type=ssh ssh-add -l > /keys && echo $SSH_AUTH_SOCK > /sock\n");
    try (SshTools.Agent agent = new SshTools.Agent(tmp.resolve("agent.sock"), key)) {
      Map<String, String> env = Map.of("SSH_AUTH_SOCK", agent.socket.toString());
      String host = SshTools.run(env, "ssh-add", "-l");
      HoistRunner.Result r =
          build(env, ctx, "-t", "ssh:1", "--isolation", isolation, "--ssh", "default");
      assertEquals(0, r.status(), r.stderr());
      assertEquals(host, fileOf("ssh:1", "keys"));
      assertEquals("/run/buildkit/ssh_agent.0\n", fileOf("ssh:1", "sock"));
    }
  }

  @Test
  void keyFiles_areServedToTheStep_andARequiredAgentThatIsMissingFailsTheStep() throws IOException {
    Path a = SshTools.keygen(tmp, "ed25519");
    Path b = SshTools.keygen(tmp, "rsa");
    Path ctx =
        context(
            "RUN --mount=type=ssh,id=deploy,target=/agent,required=true SSH_AUTH_SOCK=/agent ssh-add -l > /keys\n");
    HoistRunner.Result r = build(Map.of(), ctx, "-t", "keys:1", "--ssh", "deploy=" + a + "," + b);
    assertEquals(0, r.status(), r.stderr());
    String expected =
        SshTools.run(Map.of(), "ssh-keygen", "-lf", a + ".pub")
            + SshTools.run(Map.of(), "ssh-keygen", "-lf", b + ".pub");
    assertEquals(SshTools.fingerprints(expected), SshTools.fingerprints(fileOf("keys:1", "keys")));

    HoistRunner.Result missing = build(Map.of(), ctx, "--no-cache");
    assertEquals(1, missing.status(), missing.stderr());
    assertTrue(
        missing
            .stderr()
            .contains("hoist: Dockerfile:4: ssh agent 'deploy' is required: pass --ssh deploy="),
        missing.stderr());
  }
}
