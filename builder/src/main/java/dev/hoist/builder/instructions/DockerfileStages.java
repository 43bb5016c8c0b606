package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.Directives;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Dockerfile as typed instructions: the global ARGs before the first FROM and the stages.
 *
 * @param warnings parser warnings (e.g. empty continuation lines), each starting with the location
 */
public record DockerfileStages(
    String fileName,
    Directives directives,
    List<ArgInstruction> globalArgs,
    List<Stage> stages,
    List<String> warnings) {
  public DockerfileStages {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(directives, "directives");
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
    warnings = List.copyOf(warnings);
  }

  /** The stage called {@code name} (case-insensitive). */
  public Optional<Stage> stage(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return stages.stream().filter(s -> s.name().filter(lower::equals).isPresent()).findFirst();
  }
}
