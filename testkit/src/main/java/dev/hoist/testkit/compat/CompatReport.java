package dev.hoist.testkit.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verdicts of all cases, with known-differences.txt applied: a case that differs and is not
 * listed is a failure, and so is a listed case that now agrees (the list must stay honest).
 */
public record CompatReport(List<CaseComparison> cases, KnownDifferences known) {
  public CompatReport {
    cases = List.copyOf(cases);
  }

  /** Why {@code c} fails the run, or empty when it does not. */
  public Optional<String> problem(CaseComparison c) {
    boolean listed = known.lists(c.name());
    return switch (c.verdict()) {
      case DIFFERS ->
          listed
              ? Optional.empty()
              : Optional.of(
                  c.name()
                      + ": hoist differs from BuildKit and the case is not in "
                      + "known-differences.txt:\n  "
                      + String.join("\n  ", c.diff()));
      case AGREES ->
          listed
              ? Optional.of(
                  c.name()
                      + ": hoist now agrees with BuildKit: remove it from "
                      + "known-differences.txt")
              : Optional.empty();
      case REFERENCES_DISAGREE -> Optional.empty();
    };
  }

  /**
   * {@code compat: hoist agrees with BuildKit on N/M cases (K where the references disagree, not
   * counted)}.
   */
  public String summary() {
    long agree = count(CaseComparison.Verdict.AGREES);
    long apart = count(CaseComparison.Verdict.REFERENCES_DISAGREE);
    return String.format(
        "compat: hoist agrees with BuildKit on %d/%d cases (%d where the references disagree, not counted)",
        agree, cases.size() - apart, apart);
  }

  /** The same figures as run.sh --hoist says them. */
  public String scriptSummary() {
    long agree = count(CaseComparison.Verdict.AGREES);
    long apart = count(CaseComparison.Verdict.REFERENCES_DISAGREE);
    return String.format(
        "hoist agrees with the references on %d/%d cases (%d cases where BuildKit and Buildah"
            + " disagree, reported apart)",
        agree, cases.size() - apart, apart);
  }

  private long count(CaseComparison.Verdict v) {
    return cases.stream().filter(c -> c.verdict() == v).count();
  }

  /** The summary, then every case's verdict and the diff of each disagreement. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(summary());
    for (CaseComparison c : cases) {
      String mark =
          switch (c.verdict()) {
            case AGREES -> "agrees";
            case DIFFERS ->
                known.lists(c.name())
                    ? "differs (known: " + known.reasons().get(c.name()) + ")"
                    : "DIFFERS";
            case REFERENCES_DISAGREE -> "references disagree (not counted)";
          };
      if (c.verdict() == CaseComparison.Verdict.AGREES && known.lists(c.name())) {
        mark = "AGREES but is listed in known-differences.txt";
      }
      out.add(c.name() + ": " + mark);
      c.diff().forEach(d -> out.add("    " + d));
    }
    return out;
  }
}
