package dev.hoist.builder.instructions;

/**
 * One typed Dockerfile instruction. Each is an immutable record carrying its {@link Source}; words
 * are as written (variables not yet expanded) until the planner expands them.
 */
public sealed interface Instruction
    permits FromInstruction,
        RunInstruction,
        CmdInstruction,
        LabelInstruction,
        MaintainerInstruction,
        ExposeInstruction,
        EnvInstruction,
        AddInstruction,
        CopyInstruction,
        EntrypointInstruction,
        VolumeInstruction,
        UserInstruction,
        WorkdirInstruction,
        ArgInstruction,
        OnbuildInstruction,
        StopsignalInstruction,
        HealthcheckInstruction,
        ShellInstruction {

  Source source();

  /** The keyword in upper case, e.g. {@code COPY}. */
  default String keyword() {
    String name = getClass().getSimpleName();
    return name.substring(0, name.length() - "Instruction".length())
        .toUpperCase(java.util.Locale.ROOT);
  }
}
