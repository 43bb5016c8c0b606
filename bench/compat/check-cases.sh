#!/usr/bin/env bash
# Checks the differential cases against Docker + BuildKit only: every case must build, and every case whose
# case.properties says expect=fail must fail. It writes no golden files (the harness's generator does that).
#   BUSYBOX=127.0.0.1:PORT/busybox:latest DOCKER_HOST=unix:///path/sock bench/compat/check-cases.sh [CASE...]
# With no CASE it checks every directory under bench/compat/cases. DOCKER is the client binary (/usr/bin/docker).
# Builds use --network=none: this dockerd runs without a bridge, and no case needs the network.
# A failed check prints the last lines of the build's output; KEEP=1 keeps the temp dir for a look afterwards.
set -euo pipefail
busybox=${BUSYBOX:?set BUSYBOX to the busybox base image reference, e.g. 127.0.0.1:5000/busybox:latest}
: "${DOCKER_HOST:?set DOCKER_HOST to your own dockerd socket, e.g. unix:///var/tmp/dk-me/sock}"
docker=${DOCKER:-/usr/bin/docker}
cases_dir=$(cd "$(dirname "$0")" && pwd)/cases
work=$(mktemp -d)
if [[ ${KEEP:-0} == 1 ]]; then echo "keeping $work"; else trap 'rm -rf "${work:?}"' EXIT; fi

# The value of KEY in a case.properties file, or nothing.
property() {
  local file=$1 key=$2
  [[ -f $file ]] || return 0
  sed -n "s/^$key=//p" "$file" | tail -n 1
}

check_case() {
  local name=$1 src=$cases_dir/$1 ctx=$work/$1 props expect target build_args args=()
  [[ -f $src/Dockerfile ]] || { echo "MISSING $name: no Dockerfile"; return 1; }
  cp -a "$src" "$ctx"
  sed -i "s#{{BUSYBOX}}#$busybox#g" "$ctx/Dockerfile"
  props=$src/case.properties
  expect=$(property "$props" expect)
  target=$(property "$props" target)
  build_args=$(property "$props" build-args)
  [[ -n $target ]] && args+=(--target "$target")
  if [[ -n $build_args ]]; then
    local pair
    IFS=, read -ra pairs <<<"$build_args"
    for pair in "${pairs[@]}"; do args+=(--build-arg "$pair"); done
  fi
  local tag=compat-case/$name:check rc=0
  DOCKER_BUILDKIT=1 "$docker" build --progress=plain --network=none "${args[@]}" -t "$tag" "$ctx" >"$work/$name.log" 2>&1 || rc=$?
  if [[ $expect == fail ]]; then
    if ((rc != 0)); then echo "ok   $name (fails as expected: $(grep -m1 -iE 'error|failed' "$work/$name.log" | cut -c1-150))"; return 0; fi
    echo "FAIL $name: built, but case.properties says expect=fail"; return 1
  fi
  if ((rc == 0)); then echo "ok   $name"; "$docker" rmi -f "$tag" >/dev/null 2>&1 || true; return 0; fi
  echo "FAIL $name: docker build exited $rc"; tail -n 8 "$work/$name.log" | sed 's/^/     /'; return 1
}

if (($# == 0)); then
  mapfile -t names < <(cd "$cases_dir" && ls -1)
else
  names=("$@")
fi
failed=0
for name in "${names[@]}"; do
  check_case "${name%/}" || failed=$((failed + 1))
done
echo "${#names[@]} case(s), $failed failed"
((failed == 0))
