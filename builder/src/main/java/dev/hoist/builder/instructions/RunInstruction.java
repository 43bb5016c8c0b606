package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.Heredoc;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** RUN [--mount=...] [--network=...] [--security=...] with its command and heredocs. */
public record RunInstruction(
    Source source,
    CommandForm command,
    List<String> mounts,
    Optional<String> network,
    Optional<String> security,
    List<Heredoc> heredocs)
    implements Instruction {
  public RunInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(command, "command");
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(security, "security");
    heredocs = List.copyOf(heredocs);
  }
}
