#!/usr/bin/env bash
# Scenario 2: `RUN apt-get update && apt-get install -y curl` on Debian bookworm minbase (one
# layer, from the local registry), from Debian's mirror over the host network (and the host's
# proxy, if any, as build args for every tool): cold, and fully cached.
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
context=$BENCH_WORK/debian-curl
rm -rf "$context"
mkdir -p "$context"
printf 'ARG BASE\nFROM $BASE\nRUN apt-get update && apt-get install -y curl\n' >"$context/Dockerfile"
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" $(build_tools)); do
    echo "   round $round: $tool" >&2
    fresh "$tool"
    build_cmd "$tool" "$context" --build-arg "BASE=$BENCH_DEBIAN" -t bench/debian-curl:1
    measure "Debian apt-get install curl, cold" "$tool" "${CMD[@]}" || continue
    measure "Debian apt-get install curl, cached" "$tool" "${CMD[@]}" || true
  done
done
