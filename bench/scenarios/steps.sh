#!/usr/bin/env bash
# Scenario 5: cost of a step. A cold build of a 30-step Dockerfile (10 RUN, 10 ENV, 10 COPY of a
# small file, in turn) and of a 1-step one (one RUN), on busybox; per-step cost = (t30 - t1) / 29,
# computed in each round from that round's two builds.
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
dir=$BENCH_WORK/steps
rm -rf "$dir"
mkdir -p "$dir/30" "$dir/1"
{
  echo 'ARG BASE'
  echo 'FROM $BASE'
  for i in $(seq 10); do
    echo "RUN echo step $i >/run$i.txt"
    echo "ENV STEP$i=value$i"
    echo "COPY f$i.txt /copied/"
  done
} >"$dir/30/Dockerfile"
for i in $(seq 10); do echo "file $i" >"$dir/30/f$i.txt"; done
printf 'ARG BASE\nFROM $BASE\nRUN echo step 1 >/run1.txt\n' >"$dir/1/Dockerfile"
per_step() { [[ $1 == daemon ]] && echo daemon || awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (a - b) / 29}'; }
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" $(build_tools)); do
    echo "   round $round: $tool" >&2
    fresh "$tool"
    build_cmd "$tool" "$dir/1" --build-arg "BASE=$BENCH_BUSYBOX" -t bench/steps:1
    measure "1-step Dockerfile, cold" "$tool" "${CMD[@]}" || continue
    t1=$LAST_SECS c1=$LAST_CPU
    fresh "$tool"
    build_cmd "$tool" "$dir/30" --build-arg "BASE=$BENCH_BUSYBOX" -t bench/steps:30
    measure "30-step Dockerfile, cold" "$tool" "${CMD[@]}" || continue
    record "per step, (t30 - t1) / 29" "$tool" "$(per_step "$LAST_SECS" "$t1")" - "$(per_step "$LAST_CPU" "$c1")"
  done
done
