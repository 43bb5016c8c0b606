package dev.hoist.testkit.compat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One case's verdict: hoist's dump against the BuildKit golden, counted only when BuildKit and
 * Buildah agree. Lines of the {@link #SOFT_KEYS} on which the references disagree are left out of
 * both comparisons (the layer count and the history's empty-layer pattern, where Buildah's {@code
 * --layers} commits differ from BuildKit's); any other disagreement sets the case apart.
 */
public record CaseComparison(String name, Verdict verdict, List<String> diff) {
  public enum Verdict {
    AGREES,
    DIFFERS,
    REFERENCES_DISAGREE
  }

  static final Set<String> SOFT_KEYS = Set.of("layers", "history");

  public CaseComparison {
    diff = List.copyOf(diff);
  }

  /** How the two references' dumps differ, beyond the soft keys; empty when they agree. */
  public static List<String> referenceDisagreement(List<String> buildkit, List<String> buildah) {
    Set<String> unsure = unsure(buildkit, buildah);
    return diff(
        without(DumpLines.significant(buildkit), unsure),
        without(DumpLines.significant(buildah), unsure),
        "buildkit",
        "buildah");
  }

  public static CaseComparison of(
      String name, List<String> buildkit, List<String> buildah, HoistOutcome hoist) {
    List<String> disagreement = referenceDisagreement(buildkit, buildah);
    if (!disagreement.isEmpty()) {
      return new CaseComparison(name, Verdict.REFERENCES_DISAGREE, disagreement);
    }
    Set<String> unsure = unsure(buildkit, buildah);
    List<String> bk = without(DumpLines.significant(buildkit), unsure);
    if (DumpLines.failed(bk)) {
      if (DumpLines.failed(hoist.dump()) && hoist.failedCleanly()) {
        return new CaseComparison(name, Verdict.AGREES, List.of());
      }
      return new CaseComparison(
          name,
          Verdict.DIFFERS,
          List.of(
              "the references fail this build; hoist "
                  + (DumpLines.failed(hoist.dump())
                      ? "failed with status "
                          + hoist.status()
                          + " and "
                          + hoist.stderr().strip().lines().count()
                          + " stderr lines (want 1 and one line)"
                      : "built it")));
    }
    List<String> ours = without(DumpLines.significant(hoist.dump()), unsure);
    List<String> d = diff(bk, ours, "buildkit", "hoist");
    if (DumpLines.failed(ours)) {
      d = new ArrayList<>(d);
      d.add("  hoist: " + hoist.stderr().strip().lines().findFirst().orElse(""));
    }
    return new CaseComparison(name, d.isEmpty() ? Verdict.AGREES : Verdict.DIFFERS, d);
  }

  /** The soft keys on which the references disagree. */
  private static Set<String> unsure(List<String> buildkit, List<String> buildah) {
    Set<String> unsure = new LinkedHashSet<>();
    for (String key : SOFT_KEYS) {
      if (!valueOf(buildkit, key).equals(valueOf(buildah, key))) {
        unsure.add(key);
      }
    }
    return unsure;
  }

  private static String valueOf(List<String> lines, String key) {
    return lines.stream()
        .filter(l -> DumpLines.key(l).filter(key::equals).isPresent())
        .findFirst()
        .orElse("");
  }

  private static List<String> without(List<String> lines, Set<String> keys) {
    return lines.stream()
        .filter(l -> DumpLines.key(l).map(k -> !keys.contains(k)).orElse(true))
        .toList();
  }

  /** Lines only in {@code a} as "- A: line", lines only in {@code b} as "+ B: line", in order. */
  private static List<String> diff(List<String> a, List<String> b, String aName, String bName) {
    Set<String> inA = new LinkedHashSet<>(a);
    Set<String> inB = new LinkedHashSet<>(b);
    List<String> out = new ArrayList<>();
    a.stream().filter(l -> !inB.contains(l)).forEach(l -> out.add("- " + aName + ": " + l));
    b.stream().filter(l -> !inA.contains(l)).forEach(l -> out.add("+ " + bName + ": " + l));
    return out;
  }
}
