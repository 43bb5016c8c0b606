package dev.hoist.builder.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** What a {@code --ssh ID=...} forwards to a step: a running agent, or keys hoist serves itself. */
public sealed interface SshSource {
  /** An SSH agent's socket on the host ({@code --ssh default} is {@code $SSH_AUTH_SOCK}). */
  record AgentSocket(Path socket) implements SshSource {
    public AgentSocket {
      Objects.requireNonNull(socket, "socket");
    }
  }

  /** Private key files (unencrypted), served by an agent of hoist's own, as buildx does. */
  record KeyFiles(List<Path> keys) implements SshSource {
    public KeyFiles {
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no key files");
      }
    }
  }
}
