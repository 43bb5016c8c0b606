package dev.hoist.builder.plan;

import dev.hoist.builder.instructions.Instruction;
import java.util.Map;
import java.util.Objects;

/**
 * One instruction of a planned stage, with its words expanded where Docker expands them (ADD, COPY,
 * ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG, RUN --mount). Shell-form RUN, CMD and
 * ENTRYPOINT are left to the shell.
 *
 * @param env the ENV in effect before this step (base image env included when it was known)
 * @param args the build ARGs in scope before this step: RUN sees them as environment variables
 *     unless ENV sets the same name
 */
public record Step(Instruction instruction, Map<String, String> env, Map<String, String> args) {
  public Step {
    Objects.requireNonNull(instruction, "instruction");
    env = Map.copyOf(env);
    args = Map.copyOf(args);
  }
}
