package dev.hoist.builder.instructions;

import java.util.Objects;

/**
 * ONBUILD: the trigger instruction text, stored in the image and run by builds that use it as a
 * base.
 */
public record OnbuildInstruction(Source source, String trigger) implements Instruction {
  public OnbuildInstruction {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(trigger, "trigger");
  }
}
