package dev.hoist.bench;

import dev.hoist.builder.dockerfile.Dockerfile;
import dev.hoist.builder.dockerfile.DockerfileParser;
import dev.hoist.builder.instructions.DockerfileStages;
import dev.hoist.builder.instructions.InstructionParser;
import dev.hoist.builder.lint.LintReport;
import dev.hoist.builder.lint.Linter;
import dev.hoist.builder.plan.BaseImages;
import dev.hoist.builder.plan.BuildOptions;
import dev.hoist.builder.plan.BuildPlan;
import dev.hoist.builder.plan.Planner;
import dev.hoist.image.Platform;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse, type and plan a generated 500-instruction, 10-stage Dockerfile (ARG, ENV, RUN with
 * continuations and heredocs, COPY --from, LABEL, WORKDIR, USER...), warm. Target: well under 50
 * ms per parse + plan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrontendBench {
  String text;
  BuildOptions options;

  @Setup
  public void setup() {
    text = dockerfile(500);
    Platform amd64 = Platform.parse("linux/amd64");
    options = new BuildOptions(Map.of("VERSION", "1.2.3"), Optional.empty(), amd64, amd64);
  }

  /** A realistic multi-stage Dockerfile of about {@code instructions} instructions. */
  static String dockerfile(int instructions) {
    StringBuilder sb = new StringBuilder("# syntax=docker/dockerfile:1\nARG VERSION=0.0.0\nARG BASE=debian:bookworm-slim\n");
    int n = 2;
    int stage = 0;
    while (n < instructions) {
      sb.append("\nFROM ${BASE} AS stage").append(stage).append('\n');
      sb.append("ARG VERSION\nENV APP_HOME=/opt/app").append(stage).append(" PATH=/opt/app/bin:$PATH\n");
      sb.append("WORKDIR $APP_HOME\n");
      n += 4;
      for (int i = 0; i < 45 && n < instructions; i++, n++) {
        switch (i % 9) {
          case 0 -> sb.append("RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl=7.88 \\\n    && rm -rf /var/lib/apt/lists/*\n");
          case 1 -> sb.append("COPY --chown=app:app src/").append(i).append(" ${APP_HOME}/src/").append(i).append('\n');
          case 2 -> sb.append("ENV STEP_").append(i).append("=\"value ").append(i).append("\" OTHER=${APP_HOME:-/x}\n");
          case 3 -> sb.append("LABEL org.example.step").append(i).append("=\"${VERSION}\"\n");
          case 4 -> sb.append("RUN <<EOF\nset -e\necho step ").append(i).append(" > /tmp/s\nEOF\n");
          case 5 -> sb.append(stage > 0 ? "COPY --from=stage" + (stage - 1) + " /opt/app" + (stage - 1) + " /prev\n" : "USER root\n");
          case 6 -> sb.append("RUN --mount=type=cache,target=/root/.cache [\"/bin/sh\", \"-c\", \"make -j2 all\"]\n");
          case 7 -> sb.append("EXPOSE 80").append(i).append("/tcp\n");
          default -> sb.append("USER 1000:1000\n");
        }
      }
      stage++;
    }
    sb.append("CMD [\"/opt/app/bin/run\"]\n");
    return sb.toString();
  }

  @Benchmark
  public Dockerfile parse() {
    return DockerfileParser.parse("Dockerfile", text);
  }

  @Benchmark
  public DockerfileStages parseAndType() {
    return InstructionParser.parse("Dockerfile", text);
  }

  @Benchmark
  public BuildPlan parseTypeAndPlan() {
    return Planner.plan(InstructionParser.parse("Dockerfile", text), options, BaseImages.NONE);
  }

  @Benchmark
  public LintReport lint() {
    return Linter.lint("Dockerfile", text);
  }
}
