#!/usr/bin/env bash
# Pushes and pulls a multi-layer image to and from a local docker-registry, hoist beside skopeo
# copy in the same run (each tool pushes to its own fresh registry), median of 3 wall times.
# Then runs hoist's push and pull once more with a 64 MiB heap cap for the full image and for a
# quarter of it, and prints peak RSS of both: blobs are streamed, so memory must not grow with
# layer size.
# Usage: bench/registry/push-pull.sh [MB of layer data, default 200] [layers, default 4]
# Needs docker-registry, skopeo, umoci, curl, bc, iproute2 (Debian packages). The same push and pull
# are also a scenario of bench/run.sh (--only push-pull), beside the other tools and scenarios.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
MB=${1:-200}
LAYERS=${2:-4}
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
HOIST="$HERE/hoist"

BENCH_WORK=$W
source "$HERE/bench/lib.sh" # make_random_image, start_registry
start_registry_as() { # name, variable: starts an empty registry and sets the variable to host:port
  local pid address
  read -r pid address < <(start_registry "$W/$1")
  PIDS+=("$pid")
  printf -v "$2" '%s' "$address"
}

median() { sort -n | sed -n 2p; }
timeit() { # name, command... (the command gets the run number as $RUN)
  local name=$1; shift
  local times=()
  for RUN in 1 2 3; do
    export RUN
    local s e
    s=$(date +%s.%N)
    "$@" >"$W/last.log" 2>&1 || { echo "FAILED: $name"; cat "$W/last.log"; exit 1; }
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  printf '%-44s %6.2fs\n' "$name" "$(printf '%s\n' "${times[@]}" | median)"
}

echo "image: ${MB} MB of random data in ${LAYERS} gzip layers; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
make_random_image "$W/layout" "$MB" "$LAYERS"
# A fresh, empty registry for every timed push of each tool: a second push to the same registry
# would only mount blobs (skopeo's blob-info cache does that across repositories).
for r in 1 2 3; do
  start_registry_as "skopeo-$r" "REG_SKOPEO_$r"
  start_registry_as "hoist-$r" "REG_HOIST_$r"
done
REG_HOIST=$REG_HOIST_1
$HOIST --root "$W/root" copy "oci:$W/layout:img" hoist:bench/img:1 >/dev/null # import, untimed

reg() { local v="REG_$1_$RUN"; echo "${!v}"; }
skopeo_push() { skopeo copy -q --dest-tls-verify=false "oci:$W/layout:img" "docker://$(reg SKOPEO)/bench/img:1"; }
hoist_push() { $HOIST --root "$W/root" push -q bench/img:1 "$(reg HOIST)/bench/img:1"; }
skopeo_pull() { rm -rf "$W/sk-pull"; skopeo copy -q --src-tls-verify=false "docker://$REG_SKOPEO_1/bench/img:1" "oci:$W/sk-pull:img"; }
hoist_pull() { rm -rf "$W/root2"; $HOIST --root "$W/root2" pull -q "$REG_HOIST_1/bench/img:1"; }

timeit "skopeo copy oci: -> registry (push)" skopeo_push
timeit "hoist push (store -> registry)" hoist_push
timeit "skopeo copy registry -> oci: (pull)" skopeo_pull
timeit "hoist pull (registry -> store)" hoist_pull

peak() { # MB of image, what -> peak RSS in MB of hoist push+pull with -Xmx64m
  local mb=$1
  local root=$W/peak-$mb
  rm -rf "$W/small" && make_random_image "$W/small" "$mb" "$LAYERS"
  $HOIST --root "$root" copy "oci:$W/small:img" "hoist:peak/img:$mb" >/dev/null
  local p1 p2
  p1=$(HOIST_JAVA_OPTS="${HOIST_JAVA_OPTS:-} -Xmx64m" /usr/bin/time -f %M $HOIST --root "$root" push -q "peak/img:$mb" "$REG_HOIST/peak:$mb" 2>&1 >/dev/null | tail -1)
  p2=$(HOIST_JAVA_OPTS="${HOIST_JAVA_OPTS:-} -Xmx64m" /usr/bin/time -f %M $HOIST --root "$root-2" pull -q "$REG_HOIST/peak:$mb" 2>&1 >/dev/null | tail -1)
  printf '%-44s push %4d MB  pull %4d MB\n' "hoist -Xmx64m peak RSS, ${mb} MB image" $((p1 / 1024)) $((p2 / 1024))
}
peak $((MB / 4))
peak "$MB"
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
