package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.Heredoc;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * COPY [--from=stage or image]: sources from the context, a stage or an image; heredocs are extra
 * inline files.
 */
public record CopyInstruction(
    Source source,
    List<String> sources,
    String destination,
    Optional<String> from,
    Optional<String> chown,
    Optional<String> chmod,
    boolean link,
    boolean parents,
    List<String> excludes,
    List<Heredoc> heredocs)
    implements Instruction {
  public CopyInstruction {
    Objects.requireNonNull(source, "source");
    sources = List.copyOf(sources);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(chown, "chown");
    Objects.requireNonNull(chmod, "chmod");
    excludes = List.copyOf(excludes);
    heredocs = List.copyOf(heredocs);
  }
}
