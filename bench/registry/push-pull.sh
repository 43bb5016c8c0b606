#!/usr/bin/env bash
# Pushes and pulls a multi-layer image to and from a local docker-registry, hoist beside skopeo
# copy in the same run, alternated (the tool that goes first swaps every round, so that neither
# always meets the other's dirty pages or a busy neighbour); each push goes to a fresh registry of
# its own. Prints the median wall times and hoist's ratio to skopeo.
# Then runs hoist's push and pull once more with a 64 MiB heap cap for the full image and for a
# quarter of it, and prints peak RSS of both: blobs are streamed, so memory must not grow with
# layer size.
# Usage: bench/registry/push-pull.sh [MB of layer data, default 200] [layers, default 4]
#        (ROUNDS=N for N rounds, default 5; REGISTRY_TLS=1 for registries that serve HTTPS)
# Needs docker-registry, skopeo, umoci, curl, bc, iproute2 (Debian packages). The same push and pull
# are also a scenario of bench/run.sh (--only push-pull), beside the other tools and scenarios.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
MB=${1:-200}
LAYERS=${2:-4}
ROUNDS=${ROUNDS:-5}
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

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
seconds() { # command... -> its wall time (the command gets the round as $RUN)
  local s e
  s=$(date +%s.%N)
  "$@" >"$W/last.log" 2>&1 || { echo "FAILED: $*" >&2; cat "$W/last.log" >&2; exit 1; }
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
side_by_side() { # what, skopeo's function, hoist's function
  local what=$1 sk=() ho=() s h
  for ((RUN = 1; RUN <= ROUNDS; RUN++)); do
    export RUN
    if ((RUN % 2)); then
      sk+=("$(seconds "$2")") && ho+=("$(seconds "$3")")
    else
      ho+=("$(seconds "$3")") && sk+=("$(seconds "$2")")
    fi
  done
  s=$(printf '%s\n' "${sk[@]}" | median)
  h=$(printf '%s\n' "${ho[@]}" | median)
  printf '%-5s skopeo %5.2fs   hoist %5.2fs   hoist/skopeo %.2f   (medians of %d; hoist: %s)\n' \
    "$what" "$s" "$h" "$(echo "$h / $s" | bc -l)" "$ROUNDS" "$(printf '%.2f ' "${ho[@]}")"
}

echo "image: ${MB} MB of random data in ${LAYERS} gzip layers$([[ ${REGISTRY_TLS:-0} == 1 ]] && echo ", registries over TLS"); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
make_random_image "$W/layout" "$MB" "$LAYERS"
# A fresh, empty registry for every timed push of each tool: a second push to the same registry
# would only mount blobs (skopeo's blob-info cache does that across repositories).
for ((r = 1; r <= ROUNDS; r++)); do
  start_registry_as "skopeo-$r" "REG_SKOPEO_$r"
  start_registry_as "hoist-$r" "REG_HOIST_$r"
done
REG_HOIST=$REG_HOIST_1
$HOIST --root "$W/root" copy "oci:$W/layout:img" hoist:bench/img:1 >/dev/null # import, untimed

reg() { local v="REG_$1_$RUN"; echo "${!v}"; }
skopeo_push() { skopeo copy -q --dest-tls-verify=false "oci:$W/layout:img" "docker://$(reg SKOPEO)/bench/img:1"; }
hoist_push() { $HOIST --root "$W/root" push -q bench/img:1 "$(reg HOIST)/bench/img:1"; }
hoist_pull() { rm -rf "$W/root2"; $HOIST --root "$W/root2" pull -q "$REG_HOIST_1/bench/img:1"; }

side_by_side push skopeo_push hoist_push
# Both pull the same image (hoist's first push) into an empty directory or store.
skopeo_pull() { rm -rf "$W/sk-pull"; skopeo copy -q --src-tls-verify=false "docker://$REG_HOIST_1/bench/img:1" "oci:$W/sk-pull:img"; }
side_by_side pull skopeo_pull hoist_pull

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
