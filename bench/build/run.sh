#!/usr/bin/env bash
# Builds the same multi-stage Dockerfile with hoist and with buildah (and Docker + BuildKit when
# a dockerd can be started) in one run, alternating tools, and prints medians and ratios:
#   bench/build/run.sh [ROUNDS]        (default 5 rounds)
# Scenarios: cold (empty store, base image in a local registry), fully cached, one source changed.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
repo=$PWD
rounds=${1:-5}
bash scripts/install-deps.sh
for tool in time bc; do command -v /usr/bin/$tool >/dev/null || apt-get install -y -q --no-install-recommends $tool >/dev/null; done
./hoist version >/dev/null

work=$(mktemp -d /tmp/hoist-bench.XXXXXX)
trap 'kill $registry_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
registry=127.0.0.1:$port
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/registry}}\nhttp: {addr: %s}\n' "$work" "$registry" >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -fs "http://$registry/v2/" >/dev/null && break; sleep 0.1; done
scripts/busybox-image.sh "$work/busybox-oci" >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$work/busybox-oci:latest" "docker://$registry/busybox:latest"

context=$work/context
cp -r testdata/dockerfiles/build/multistage "$context"
base=$registry/busybox:latest

# time_run NAME CMD... : appends "seconds max_rss_kb" of one run to $work/NAME
time_run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>&1 || { echo "FAILED: $*"; cat "$work/out"; exit 1; }
  cat "$work/t" >>"$work/$name"
}

hoist_build=(./hoist --root "$work/hoist-store" build -q --build-arg BASE=$base -t bench:1 "$context")
buildah_build=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay
  bud -q --layers --isolation chroot --tls-verify=false --build-arg BASE=$base -t bench:1 "$context")

for round in $(seq "$rounds"); do
  for tool in hoist buildah; do
    rm -rf "$work/hoist-store" "$work/buildah"
    echo "round $round: $tool" >&2
    declare -n cmd="${tool}_build"
    time_run "$tool-cold" "${cmd[@]}"
    time_run "$tool-cached" "${cmd[@]}"
    echo "changed $round $tool" >>"$context/src/lib/greet.txt"
    time_run "$tool-changed" "${cmd[@]}"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
stat() { cut -d' ' -f"$2" "$work/$1" | median; }
echo
echo "Build benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r), $rounds rounds (median wall seconds; peak RSS MB)"
echo
echo "| scenario | hoist | buildah (chroot) | hoist/buildah | hoist peak RSS |"
echo "| --- | --- | --- | --- | --- |"
for s in cold cached changed; do
  h=$(stat hoist-$s 1); b=$(stat buildah-$s 1); rss=$(stat hoist-$s 2)
  printf '| multistage %s | %.2f s | %.2f s | %.2f | %d MB |\n' "$s" "$h" "$b" "$(echo "$h / $b" | bc -l)" "$((rss / 1024))"
done
