package dev.hoist.builder.cli;

import dev.hoist.builder.build.CsvOptions;
import dev.hoist.builder.plan.PlanWarning;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code hoist build --call check} (and {@code --check}): what BuildKit's check call prints, the
 * build's warnings with their rule and {@code file:line}, then a summary line; the exit status is 1
 * when there is a warning, as buildx's.
 */
final class CheckCall {
  private CheckCall() {}

  /**
   * Whether {@code --call VALUE} asks for a check rather than a build; {@code outline}, {@code
   * targets} and a {@code format=} other than text are refused.
   */
  static boolean isCheck(String call) {
    Map<String, String> kv = CsvOptions.parse(call, "");
    String kind = call.split(",", 2)[0].strip();
    String format = kv.getOrDefault("format", "text");
    if (!format.equals("text")) {
      throw new IllegalArgumentException(
          "--call " + call + ": hoist prints checks as text only; drop format=" + format);
    }
    return switch (kind) {
      case "build" -> false;
      case "check" -> true;
      case "outline", "targets" ->
          throw new IllegalArgumentException(
              "--call " + kind + " is not supported by hoist yet; use --call check or build");
      default ->
          throw new IllegalArgumentException("unknown --call '" + call + "': use build or check");
    };
  }

  /** Prints {@code warnings} and returns the exit status: 1 when there is any. */
  static int print(List<PlanWarning> warnings, PrintWriter out) {
    for (PlanWarning w : warnings) {
      out.println("WARNING: " + w.ruleId() + " - " + w.message());
      out.println(w.range() == null ? w.fileName() : w.fileName() + ":" + w.range().start());
      out.println();
    }
    out.println(
        warnings.isEmpty()
            ? "Check complete, no warnings found."
            : "Check complete, "
                + warnings.size()
                + (warnings.size() == 1 ? " warning has" : " warnings have")
                + " been found!");
    out.flush();
    return warnings.isEmpty() ? 0 : Hoist.EXIT_FAILURE;
  }
}
