package dev.hoist.builder.compat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hoist.builder.cli.HoistRunner;
import dev.hoist.testkit.LocalRegistry;
import dev.hoist.testkit.compat.CaseComparison;
import dev.hoist.testkit.compat.CompatBaseImage;
import dev.hoist.testkit.compat.CompatCase;
import dev.hoist.testkit.compat.CompatReport;
import dev.hoist.testkit.compat.DumpLines;
import dev.hoist.testkit.compat.HoistOutcome;
import dev.hoist.testkit.compat.ImageDump;
import dev.hoist.testkit.compat.KnownDifferences;
import dev.hoist.testkit.compat.Normalisation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential harness in CI: hoist builds every case of bench/compat/cases in this JVM,
 * against a real registry holding the same busybox base as bench/compat/run.sh pushed, and its
 * image's dump must equal the BuildKit golden file wherever BuildKit and Buildah agree. A case in
 * bench/compat/known-differences.txt may differ, and must (the list stays honest). Needs no Docker
 * engine: the golden files carry the references' answers. bench/compat/README.md tells more.
 */
@Tag("compat")
class DifferentialTest {
  private static final Path COMPAT = repositoryRoot().resolve("bench/compat");
  private static final ConcurrentLinkedQueue<CaseComparison> VERDICTS =
      new ConcurrentLinkedQueue<>();

  @TempDir static Path work;
  static LocalRegistry registry;
  static Path base;
  static String busybox;
  static KnownDifferences known;

  @BeforeAll
  static void pushTheBase() throws Exception {
    known = KnownDifferences.read(COMPAT.resolve("known-differences.txt"));
    registry = LocalRegistry.startPlain();
    base = CompatBaseImage.write(work.resolve("base"), work.resolve("base-work"));
    busybox = registry.host() + "/busybox:latest";
    run(
        "skopeo",
        "copy",
        "-q",
        "--dest-tls-verify=false",
        "oci:" + base + ":latest",
        "docker://" + busybox);
  }

  @AfterAll
  static void report() throws IOException {
    if (registry != null) {
      registry.close();
    }
    List<CaseComparison> all = new ArrayList<>(VERDICTS);
    all.sort(java.util.Comparator.comparing(CaseComparison::name));
    CompatReport report = new CompatReport(all, known);
    System.out.println(report.summary());
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.write(target.resolve("compat-report.txt"), report.lines());
  }

  @TestFactory
  Stream<DynamicTest> hoistBuildsEveryCaseAsBuildKitDoes() throws IOException {
    List<CompatCase> cases = CompatCase.all(COMPAT.resolve("cases"));
    Path golden = COMPAT.resolve("golden");
    assertTrue(!cases.isEmpty(), "no cases in " + COMPAT.resolve("cases"));
    List<String> missing = new ArrayList<>();
    for (CompatCase c : cases) {
      for (String ref : List.of("buildkit", "buildah")) {
        if (!Files.exists(golden.resolve(c.name() + "." + ref))) {
          missing.add(c.name() + "." + ref);
        }
      }
    }
    assertTrue(
        missing.isEmpty(),
        "cases without golden files (make them with bench/compat/run.sh NAME...): " + missing);
    for (String listed : known.reasons().keySet()) {
      assertTrue(
          cases.stream().anyMatch(c -> c.name().equals(listed)),
          "known-differences.txt lists '" + listed + "', which is not a case");
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, golden)));
  }

  private static void check(CompatCase c, Path golden) throws IOException {
    HoistOutcome outcome = build(c);
    CaseComparison verdict =
        CaseComparison.of(
            c.name(),
            DumpLines.read(golden.resolve(c.name() + ".buildkit")),
            DumpLines.read(golden.resolve(c.name() + ".buildah")),
            outcome);
    VERDICTS.add(verdict);
    Optional<String> problem = new CompatReport(List.of(verdict), known).problem(verdict);
    assertTrue(problem.isEmpty(), problem.orElse(""));
  }

  /** hoist's build of the case, in this JVM, with one store shared by all cases. */
  private static HoistOutcome build(CompatCase c) throws IOException {
    Path context = c.context(work.resolve("ctx/" + c.name()));
    Path dockerfile = c.dockerfile(busybox, work.resolve("dockerfiles/" + c.name()));
    Path image = work.resolve("out/" + c.name() + ".tar");
    Files.createDirectories(image.getParent());
    List<String> args =
        new ArrayList<>(
            List.of(
                "build", "--progress", "quiet", "--network", "none", "-f", dockerfile.toString()));
    c.buildArgs().forEach(a -> args.addAll(List.of("--build-arg", a)));
    c.target().ifPresent(t -> args.addAll(List.of("--target", t)));
    args.addAll(List.of("-o", "type=oci,dest=" + image, context.toString()));
    HoistRunner.Result result =
        HoistRunner.inStore(Map.of(), work.resolve("store"), args.toArray(String[]::new));
    if (result.status() != 0) {
      return HoistOutcome.failed(result.status(), result.stderr());
    }
    return new HoistOutcome(
        0, result.stderr(), ImageDump.of(image, Optional.of(base), Normalisation.NONE));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("bench/compat"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no bench/compat above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
  }
}
