#!/bin/sh
# JMH benchmark of the Dockerfile front end: parse, parse+types, parse+types+plan and lint of a
# generated 500-instruction Dockerfile. Usage: bench/frontend/run.sh [JMH options, e.g. -f 1]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
(cd "$repo" && mvn -q -B -o -pl image,builder install -DskipTests)
cd "$here"
mvn -q -B package
cp_file=$(mktemp)
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
cp="$here/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
printf 'load average: %s on %s cpus\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
exec java -cp "$cp" org.openjdk.jmh.Main FrontendBench "$@"
