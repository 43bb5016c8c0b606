package dev.hoist.builder.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenSSH's own tools (Debian's openssh-client), as the real reference for agent tests. */
public final class SshTools {
  private SshTools() {}

  /**
   * Runs {@code command} with {@code env} added; returns its stdout, failing on a non-zero exit.
   */
  public static String run(Map<String, String> env, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("SSH_AUTH_SOCK");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  /** A new unencrypted key of {@code type} (ed25519, rsa, ecdsa) at {@code dir/id_TYPE}. */
  public static Path keygen(Path dir, String type) throws IOException {
    Path key = dir.resolve("id_" + type);
    run(
        Map.of(),
        "ssh-keygen",
        "-q",
        "-t",
        type,
        "-N",
        "",
        "-C",
        "test-" + type,
        "-f",
        key.toString());
    return key;
  }

  /** The fingerprint lines ({@code BITS SHA256:... (TYPE)}) of {@code ssh-add -l}, comments cut. */
  public static List<String> fingerprints(String sshAddList) {
    List<String> out = new ArrayList<>();
    for (String line : sshAddList.strip().split("\n")) {
      String[] f = line.trim().split(" ");
      out.add(f[0] + " " + f[1] + " " + f[f.length - 1]);
    }
    return out;
  }

  /** A running {@code ssh-agent} on {@code socket} holding {@code keys}; close kills it. */
  public static final class Agent implements AutoCloseable {
    private final Process process;
    public final Path socket;

    public Agent(Path socket, Path... keys) throws IOException {
      this.socket = socket;
      this.process =
          new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      for (Path key : keys) {
        run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", key.toString());
      }
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
