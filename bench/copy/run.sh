#!/bin/sh
# COPY throughput: Copier.inputDigest and Copier.stage on one generated context, next to
# `cp -a` (what staging must beat or match) and `sha256sum` over the same files (the digest's peer).
# Usage: bench/copy/run.sh [WORKDIR] [FILES] [MEGABYTES] [RUNS]
# WORKDIR should be on the disk you care about (default under /var/tmp, not tmpfs). Needs root
# (staging chowns).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
mvn -q -B -o -pl builder compile
cp_file=$(mktemp)
mvn -q -B -o -pl builder dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="$repo/builder/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Xmx512m -cp "$cp" "$here/CopyBench.java" "${1:-/var/tmp/hoist-copy-bench}" "${2:-10000}" "${3:-200}" "${4:-3}"
