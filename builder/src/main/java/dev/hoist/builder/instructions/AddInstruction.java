package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.Heredoc;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * ADD: sources may be URLs or git repositories; heredocs are extra inline files. {@code unpack} is
 * {@code --unpack}: absent, local archives are extracted and downloaded ones are not.
 */
public record AddInstruction(
    Source source,
    List<String> sources,
    String destination,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean keepGitDir,
    Optional<String> checksum,
    List<String> excludes,
    List<Heredoc> heredocs,
    Optional<Boolean> unpack)
    implements Instruction {
  public AddInstruction {
    Objects.requireNonNull(source, "source");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    Objects.requireNonNull(checksum, "checksum");
    excludes = List.copyOf(excludes);
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(unpack, "unpack");
  }
}
