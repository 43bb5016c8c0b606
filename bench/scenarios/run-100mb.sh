#!/usr/bin/env bash
# Scenario 4: a RUN that writes 100 MB in 10,000 files (random, so incompressible) on busybox, cold:
# the cost of snapshotting a big RUN result into a layer. References on the host, same tree: the
# RUN's command alone (no build tool) and `tar -c DIR | gzip -1 >/dev/null` (the issue's target:
# hoist's snapshot no slower than that). The files are made by three processes (truncate, then
# busybox shred fills them from /dev/urandom), not by a process per file: 10,000 forks of a shell
# loop took 13-29 s here and drowned what is measured.
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
dir=$BENCH_WORK/run-100mb
rm -rf "$dir"
mkdir -p "$dir/context"
loop='mkdir -p /data && cd /data && seq 0 9999 | sed "s/^/f/" | xargs truncate -s 10486 && shred -n 1 f*'
printf 'ARG BASE\nFROM $BASE\nRUN %s\n' "$loop" >"$dir/context/Dockerfile"
host_loop=${loop//\/data/$dir/tree}
mkdir -p "$dir/bin" # the host runs the same busybox applets as the RUN step
for applet in seq sed xargs truncate shred; do ln -sf /bin/busybox "$dir/bin/$applet"; done
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" $(build_tools) host); do
    echo "   round $round: $tool" >&2
    if [[ $tool == host ]]; then
      rm -rf "$dir/tree"
      measure "RUN writing 100 MB in 10,000 files: the command alone" "ref:busybox sh on the host" \
        env PATH="$dir/bin:$PATH" /bin/busybox sh -c "$host_loop" || continue
      measure "RUN writing 100 MB in 10,000 files, cold" "ref:tar -c, gzip -1" \
        sh -c "tar -C '$dir/tree' -cf - . | gzip -1 >/dev/null" || true
      continue
    fi
    fresh "$tool"
    build_cmd "$tool" "$dir/context" --build-arg "BASE=$BENCH_BUSYBOX" -t bench/run100:1
    measure "RUN writing 100 MB in 10,000 files, cold" "$tool" "${CMD[@]}" || true
  done
done
rm -rf "$dir/tree"
