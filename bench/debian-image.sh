#!/usr/bin/env bash
# Makes a one-layer Debian bookworm image (debootstrap --variant=minbase) as an OCI layout with the
# tag "bookworm" and prints the layout's path. The tree and the layout are cached under
# /var/cache/hoist-bench (BENCH_CACHE), so only the first run pays for debootstrap (about 30 s).
# Needs root, debootstrap, umoci, and Debian's mirror (the host's apt configuration).
set -euo pipefail
cache=${BENCH_CACHE:-/var/cache/hoist-bench}
tree=$cache/bookworm-minbase
layout=$cache/debian-oci
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ ! -f $tree/.complete ]]; then
  rm -rf "${tree:?}"
  mirror=$(sed -n 's/^URIs: \(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  debootstrap --variant=minbase bookworm "$tree" "${mirror:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 ||
    { echo "debootstrap failed; see $cache/debootstrap.log: $(tail -n 1 "$cache/debootstrap.log")" >&2; exit 1; }
  rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/*
  touch "$tree/.complete"
fi
if [[ ! -f $layout/.complete ]]; then
  rm -rf "${layout:?}" "$cache/bundle"
  umoci init --layout "$layout" >/dev/null
  umoci new --image "$layout:bookworm" >/dev/null
  umoci unpack --image "$layout:bookworm" "$cache/bundle" >/dev/null
  tar -C "$tree" --exclude=./.complete -cf - . | tar -C "$cache/bundle/rootfs" --numeric-owner -xpf -
  umoci repack --image "$layout:bookworm" "$cache/bundle" >/dev/null
  umoci config --image "$layout:bookworm" --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.cmd bash >/dev/null
  umoci gc --layout "$layout"
  rm -rf "$cache/bundle"
  touch "$layout/.complete"
fi
echo "$layout"
