#!/bin/sh
# Layer write/apply throughput of hoist next to GNU tar on one generated tree.
# Usage: bench/layers/run.sh [WORKDIR] [FILES] [MEGABYTES] [RUNS]
# WORKDIR should be on the disk you care about (default under /var/tmp, not tmpfs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
mvn -q -B -o -pl layer-store package -DskipTests
cp_file=$(mktemp)
mvn -q -B -o -pl layer-store dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="$repo/layer-store/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Xmx1g -cp "$cp" "$here/LayerBench.java" "${1:-/var/tmp/hoist-layer-bench}" "${2:-10000}" "${3:-200}" "${4:-3}"
