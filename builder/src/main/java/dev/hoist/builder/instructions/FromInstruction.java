package dev.hoist.builder.instructions;

import java.util.Objects;
import java.util.Optional;

/** FROM [--platform=P] IMAGE [AS NAME]; image and platform not yet expanded. */
public record FromInstruction(
    Source source, String image, Optional<String> stageName, Optional<String> platform)
    implements Instruction {
  public FromInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(stageName, "stageName");
    Objects.requireNonNull(platform, "platform");
  }
}
