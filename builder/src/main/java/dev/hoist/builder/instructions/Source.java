package dev.hoist.builder.instructions;

import dev.hoist.builder.dockerfile.SourceRange;
import java.util.Objects;

/** Where an instruction came from: its file, lines and original text (continuations joined). */
public record Source(String fileName, SourceRange range, String original) {
  public Source {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(original, "original");
  }

  /** {@code Dockerfile:12}, the prefix of every message about this instruction. */
  public String location() {
    return fileName + ":" + range.start();
  }
}
