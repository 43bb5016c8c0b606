#!/usr/bin/env bash
# A real demo on a fresh Debian 12 machine, as root: installs what is missing, builds hoist,
# starts a local registry, and builds, runs, pushes and saves an image with hoist.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
repo=$PWD
bash scripts/install-deps.sh

demo=$(mktemp -d /tmp/hoist-demo.XXXXXX)
export HOIST_ROOT=$demo/store
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5000)
registry=127.0.0.1:$port
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

echo "== building hoist (first run only) and starting a local registry on $registry"
./hoist version >/dev/null
mkdir -p "$demo/registry"
cat >"$demo/registry/config.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $demo/registry/data}, delete: {enabled: true}}
http: {addr: $registry}
YAML
docker-registry serve "$demo/registry/config.yml" >"$demo/registry/log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://$registry/v2/" >/dev/null && break; sleep 0.1; done

echo "== a busybox base image made from Debian's busybox-static, copied into the registry by hoist"
scripts/busybox-image.sh "$demo/busybox-oci" >/dev/null
run ./hoist copy "oci:$demo/busybox-oci:latest" "docker://$registry/busybox:latest"

echo "== a two-stage build (testdata/dockerfiles/build/multistage)"
run ./hoist build --build-arg BASE=$registry/busybox -t $registry/demo:1 testdata/dockerfiles/build/multistage
run ./hoist images
run ./hoist history $registry/demo:1
if ./hoist run --help >/dev/null 2>&1; then
  run ./hoist run --rm $registry/demo:1
fi

echo "== the same build again: every step comes from the cache"
run ./hoist build --build-arg BASE=$registry/busybox -t $registry/demo:1 testdata/dockerfiles/build/multistage

echo "== push, then read it back with skopeo; save a docker-archive; verify the store"
run ./hoist push $registry/demo:1
run skopeo inspect --tls-verify=false --format '{{.Digest}} {{.Layers}}' docker://$registry/demo:1
run ./hoist save -o "$demo/demo.tar" $registry/demo:1
run skopeo inspect --format '{{.Layers}}' "docker-archive:$demo/demo.tar"
run ./hoist fsck

echo
echo "Done. The store is $HOIST_ROOT; remove $demo when you no longer need it."
