#!/usr/bin/env bash
# Times hoist load / save / fsck / prune of one image with a large layer, beside skopeo doing the
# same copies (the peer to beat). Usage: bench/store-archive.sh [MB of layer data, default 200]
# Needs umoci and skopeo (Debian packages). Prints one line per step: name and wall seconds,
# median of 3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
MB=${1:-200}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
HOIST="$HERE/hoist --root $W/root"

umoci init --layout "$W/layout" >/dev/null
umoci new --image "$W/layout:img" >/dev/null
umoci unpack --image "$W/layout:img" "$W/bundle" >/dev/null
mkdir -p "$W/bundle/rootfs/data"
for i in $(seq 1 $((MB / 10))); do
  head -c $((10 * 1024 * 1024)) /dev/urandom >"$W/bundle/rootfs/data/f$i"
done
umoci repack --image "$W/layout:img" "$W/bundle" >/dev/null
skopeo copy -q "oci:$W/layout:img" "docker-archive:$W/in.tar:bench:1"
$HOIST images >/dev/null # build the launcher first, untimed

median() { sort -n | sed -n 2p; }
timeit() { # name, command...
  local name=$1; shift
  local times=()
  for _ in 1 2 3; do
    local s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    local e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  printf '%-40s %ss\n' "$name" "$(printf '%s\n' "${times[@]}" | median)"
}

reset_root() { rm -rf "$W/root"; }
load() { reset_root; $HOIST load -i "$W/in.tar"; }
timeit "hoist load docker-archive (${MB}MB)" load
timeit "hoist save docker-archive" $HOIST save -o "$W/out.tar" bench:1
timeit "hoist save oci-archive" $HOIST save --format oci-archive -o "$W/out-oci.tar" bench:1
timeit "hoist fsck" $HOIST fsck
skopeo_load() { rm -rf "$W/sk"; skopeo copy -q "docker-archive:$W/in.tar" "oci:$W/sk:bench"; }
timeit "skopeo copy docker-archive -> oci dir" skopeo_load
skopeo_save() { rm -f "$W/sk.tar"; skopeo copy -q "oci:$W/sk:bench" "docker-archive:$W/sk.tar:bench:1"; }
timeit "skopeo copy oci dir -> docker-archive" skopeo_save
