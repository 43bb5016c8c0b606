#!/usr/bin/env bash
# Scenario 1: the multi-stage busybox build of testdata/dockerfiles/build/multistage (ARG, ENV,
# WORKDIR, COPY, RUN, COPY --from, USER, CMD): cold (empty store), fully cached, and after one
# source file changed. Run through bench/run.sh (--only multistage).
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
context=$BENCH_WORK/multistage
rm -rf "$context"
cp -r "$BENCH_REPO/testdata/dockerfiles/build/multistage" "$context"
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" $(build_tools)); do
    echo "   round $round: $tool" >&2
    fresh "$tool"
    build_cmd "$tool" "$context" --build-arg "BASE=$BENCH_BUSYBOX" -t bench/multistage:1
    measure "multistage cold" "$tool" "${CMD[@]}" || continue
    measure "multistage fully cached" "$tool" "${CMD[@]}" || true
    echo "changed $round $tool" >>"$context/src/lib/greet.txt"
    measure "multistage, one source file changed" "$tool" "${CMD[@]}" || true
  done
done
