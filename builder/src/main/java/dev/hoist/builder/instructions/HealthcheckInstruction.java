package dev.hoist.builder.instructions;

import java.util.Objects;

/** HEALTHCHECK [options] CMD ... or HEALTHCHECK NONE. */
public record HealthcheckInstruction(Source source, HealthcheckSpec spec) implements Instruction {
  public HealthcheckInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
  }
}
