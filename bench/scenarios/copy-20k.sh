#!/usr/bin/env bash
# Scenario 3: COPY of a build context of 20,000 small files (100 directories of 200 files,
# 100-2,000 bytes each, about 20 MB) onto busybox: cold, and a rebuild with nothing changed (the
# whole context is read again to check the cache).
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
context=$BENCH_WORK/copy-20k
rm -rf "$context"
mkdir -p "$context"
printf 'ARG BASE\nFROM $BASE\nCOPY . /data/\n' >"$context/Dockerfile"
# One awk process writes all files: fast, and the same tree in every run (fixed seed).
awk -v dir="$context" 'BEGIN {
  srand(7)
  for (d = 0; d < 100; d++) {
    system("mkdir -p " dir "/d" d)
    for (f = 0; f < 200; f++) {
      path = dir "/d" d "/f" f ".txt"; n = 100 + int(rand() * 1900); s = ""
      while (length(s) < n) s = s sprintf("%08x ", int(rand() * 4294967295))
      printf "%s\n", substr(s, 1, n) > path; close(path)
    }
  }
}'
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" $(build_tools)); do
    echo "   round $round: $tool" >&2
    fresh "$tool"
    build_cmd "$tool" "$context" --build-arg "BASE=$BENCH_BUSYBOX" -t bench/copy:1
    measure "COPY 20,000 small files, cold" "$tool" "${CMD[@]}" || continue
    measure "COPY 20,000 small files, cached" "$tool" "${CMD[@]}" || true
  done
done
