#!/bin/sh
# Empty step (`true`) over a 5-layer busybox image, set-up + teardown, both backends.
# Targets (issue 5): chroot <= 30 ms, oci <= 80 ms. Needs root, runc, busybox-static.
# Usage: bench/runtime/empty-step.sh [RUNS]   (from the repository root; builds nothing itself:
# run `mvn -q -o -pl testkit,image,layer-store,runtime install -DskipTests` first)
set -e
cd "$(dirname "$0")/../.."
CP_FILE=$(mktemp)
mvn -q -B -o -pl runtime dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="runtime/target/classes:$(cat "$CP_FILE")"
CP="$CP:$HOME/.m2/repository/dev/hoist/hoist-testkit/0.1.0-SNAPSHOT/hoist-testkit-0.1.0-SNAPSHOT.jar"
rm -f "$CP_FILE"
exec java -cp "$CP" bench/runtime/EmptyStepBench.java "${1:-50}"
