#!/usr/bin/env bash
# Scenario 7: start-up of the CLI: `version` and `images` (over a store holding the busybox base),
# hoist beside buildah and the Docker 20.10 client against its warm daemon.
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
tools=$(build_tools)
for tool in $tools; do # one image in each store, untimed
  fresh "$tool"
  case $tool in
    hoist) "$BENCH_REPO/hoist" "${HOIST_STORE[@]}" pull -q "$BENCH_BUSYBOX" >/dev/null ;;
    buildah) buildah "${BUILDAH_STORE[@]}" pull -q --tls-verify=false "$BENCH_BUSYBOX" >/dev/null ;;
    docker) $DOCKER pull -q "$BENCH_BUSYBOX" >/dev/null ;;
  esac
done
runs=$((BENCH_ROUNDS * 3)) # each run is short: more of them for a steadier median
for round in $(seq "$runs"); do
  for tool in $(in_round_order "$round" $tools); do
    case $tool in
      hoist) cli=("$BENCH_REPO/hoist" "${HOIST_STORE[@]}") ;;
      buildah) cli=(buildah "${BUILDAH_STORE[@]}") ;;
      docker) cli=("$DOCKER") ;;
    esac
    measure "start-up: version" "$tool" "${cli[@]}" version || true
    measure "start-up: images (one image stored)" "$tool" "${cli[@]}" images || true
  done
done
