package dev.hoist.testkit.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The differential harness's Java side for bench/compat/run.sh (run with {@code java -cp}):
 *
 * <pre>
 * base OUT_DIR                               the busybox base as an OCI layout (tag latest)
 * dump [--base LAYOUT] [--buildah] IMAGE OUT [COMMENT...]   dump an OCI layout / oci-archive / docker-archive
 * failed OUT ERROR_LINE [COMMENT...]         the dump of a failed build
 * refs GOLDEN_DIR NAME...                    whether BuildKit and Buildah agree, per case
 * compare GOLDEN_DIR KNOWN_FILE RESULTS_DIR NAME...   hoist's results (NAME.status, NAME.stderr,
 *                                            NAME.dump) against the golden files; exit 1 on a problem
 * </pre>
 */
public final class CompatMain {
  private CompatMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      usage();
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    int status =
        switch (args[0]) {
          case "base" -> base(rest);
          case "dump" -> dump(rest);
          case "failed" -> failed(rest);
          case "refs" -> refs(rest);
          case "compare" -> compare(rest);
          default -> usage();
        };
    System.exit(status);
  }

  private static int base(List<String> args) throws IOException {
    Path out = Path.of(args.get(0));
    Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), "base-work");
    CompatBaseImage.write(out, work);
    return 0;
  }

  private static int dump(List<String> args) throws IOException {
    Optional<Path> base = Optional.empty();
    Normalisation normalisation = Normalisation.NONE;
    while (args.get(0).startsWith("--")) {
      String flag = args.remove(0);
      switch (flag) {
        case "--base" -> base = Optional.of(Path.of(args.remove(0)));
        case "--buildah" -> normalisation = Normalisation.BUILDAH;
        default -> throw new IllegalArgumentException("dump: unknown flag " + flag);
      }
    }
    List<String> lines = ImageDump.of(Path.of(args.get(0)), base, normalisation);
    DumpLines.write(Path.of(args.get(1)), args.subList(2, args.size()), lines);
    return 0;
  }

  private static int failed(List<String> args) throws IOException {
    DumpLines.write(
        Path.of(args.get(0)), args.subList(2, args.size()), DumpLines.failed(args.get(1)));
    return 0;
  }

  private static int refs(List<String> args) throws IOException {
    Path golden = Path.of(args.get(0));
    int agree = 0;
    List<String> names = args.subList(1, args.size());
    for (String name : names) {
      List<String> d =
          CaseComparison.referenceDisagreement(
              DumpLines.read(golden.resolve(name + ".buildkit")),
              DumpLines.read(golden.resolve(name + ".buildah")));
      if (d.isEmpty()) {
        agree++;
      } else {
        System.out.println(name + ": the references disagree");
        d.forEach(l -> System.out.println("    " + l));
      }
    }
    System.out.printf(
        "%d cases: BuildKit and Buildah agree on %d, disagree on %d%n",
        names.size(), agree, names.size() - agree);
    return 0;
  }

  private static int compare(List<String> args) throws IOException {
    Path golden = Path.of(args.get(0));
    KnownDifferences known = KnownDifferences.read(Path.of(args.get(1)));
    Path results = Path.of(args.get(2));
    List<CaseComparison> cases = new ArrayList<>();
    for (String name : args.subList(3, args.size())) {
      int status = Integer.parseInt(Files.readString(results.resolve(name + ".status")).strip());
      String stderr = Files.readString(results.resolve(name + ".stderr"));
      Path dump = results.resolve(name + ".dump");
      HoistOutcome outcome =
          status == 0 && Files.exists(dump)
              ? new HoistOutcome(status, stderr, DumpLines.read(dump))
              : HoistOutcome.failed(status, stderr);
      cases.add(
          CaseComparison.of(
              name,
              DumpLines.read(golden.resolve(name + ".buildkit")),
              DumpLines.read(golden.resolve(name + ".buildah")),
              outcome));
    }
    CompatReport report = new CompatReport(cases, known);
    report.lines().forEach(System.out::println);
    List<String> problems = cases.stream().flatMap(c -> report.problem(c).stream()).toList();
    problems.forEach(p -> System.out.println("PROBLEM " + p));
    System.out.println(report.scriptSummary());
    return problems.isEmpty() ? 0 : 1;
  }

  private static int usage() {
    System.err.println(
        "usage: CompatMain base OUT | dump [--base LAYOUT] [--buildah] IMAGE OUT [COMMENT...] |"
            + " failed OUT ERROR [COMMENT...] | refs GOLDEN NAME... | compare GOLDEN KNOWN RESULTS NAME...");
    System.exit(2);
    return 2;
  }
}
