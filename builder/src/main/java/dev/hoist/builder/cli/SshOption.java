package dev.hoist.builder.cli;

import dev.hoist.builder.ssh.AgentServer;
import dev.hoist.builder.ssh.SshSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --ssh ID[=PATH[,PATH...]]}, as buildx reads it: no PATH is the agent at {@code
 * $SSH_AUTH_SOCK}; one PATH that is a socket is that agent; otherwise the PATHs are private key
 * files that hoist serves from an agent of its own.
 */
final class SshOption {
  private SshOption() {}

  static Map<String, SshSource> parse(List<String> values, Map<String, String> env, Path cwd) {
    Map<String, SshSource> out = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      String id = eq < 0 ? value : value.substring(0, eq);
      if (id.isEmpty()) {
        throw invalid(value, "write it as default, ID=SOCKET or ID=KEY_FILE[,KEY_FILE]");
      }
      List<Path> paths = new ArrayList<>();
      if (eq >= 0) {
        for (String p : value.substring(eq + 1).split(",")) {
          if (!p.isEmpty()) {
            paths.add(cwd.resolve(p).toAbsolutePath().normalize());
          }
        }
      }
      if (paths.isEmpty()) {
        String sock = env.get("SSH_AUTH_SOCK");
        if (sock == null || sock.isEmpty()) {
          throw invalid(
              value,
              "SSH_AUTH_SOCK is not set: start ssh-agent, or name the socket or keys as "
                  + id
                  + "=PATH");
        }
        paths.add(Path.of(sock));
      }
      SshSource source =
          paths.size() == 1 && isSocket(paths.get(0))
              ? new SshSource.AgentSocket(paths.get(0))
              : new SshSource.KeyFiles(paths);
      try {
        AgentServer.verify(source);
      } catch (IOException e) {
        throw invalid(value, e.getMessage());
      }
      out.put(id, source);
    }
    return out;
  }

  private static boolean isSocket(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isOther();
    } catch (IOException e) {
      return false;
    }
  }

  private static IllegalArgumentException invalid(String option, String why) {
    return new IllegalArgumentException("--ssh " + option + ": " + why);
  }
}
