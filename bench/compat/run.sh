#!/usr/bin/env bash
# The differential harness: builds each case of bench/compat/cases with the references and keeps
# their answers as golden files, or builds them with hoist and compares (bench/compat/README.md).
#
#   bench/compat/run.sh [CASE...]           golden files: Docker + BuildKit and Buildah build every
#                                           case (or those named), bench/compat/golden/CASE.{buildkit,buildah}
#   bench/compat/run.sh --hoist [CASE...]   hoist builds them (./hoist) and is compared with the golden
#                                           files; exit 1 on a difference not in known-differences.txt
#
# Needs root on Debian 12; installs what is missing from Debian's packages. Starts its own
# docker-registry on a free loopback port and (without --hoist) its own dockerd with its own
# data-root under a mktemp dir (no iptables, no bridge; RUN steps get no network), and stops both
# at the end. COMPAT_KEEP=1 keeps the work dir (contexts, build logs, dumps) for a look.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
repo=$PWD
compat=$repo/bench/compat
mode=golden
if [[ ${1:-} == --hoist ]]; then mode=hoist; shift; fi
case ${1:-} in -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[[ $(id -u) == 0 ]] || { echo "bench/compat/run.sh: run as root (buildah, dockerd and hoist's sandbox need it)" >&2; exit 2; }

names=("$@")
if ((${#names[@]} == 0)); then
  mapfile -t names < <(find "$compat/cases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi
for n in "${names[@]}"; do
  [[ -f $compat/cases/$n/Dockerfile ]] || { echo "bench/compat/run.sh: no case '$n' (no bench/compat/cases/$n/Dockerfile)" >&2; exit 2; }
done

# --- tools, from Debian's packages ------------------------------------------------------------
bash scripts/install-deps.sh
if [[ $mode == golden ]]; then
  need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v ss >/dev/null 2>&1 || need+=(iproute2)
  if ((${#need[@]})); then
    echo "installing: ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

mkdir -p "${COMPAT_WORK_PARENT:=/var/tmp}"
work=$(mktemp -d "$COMPAT_WORK_PARENT/hoist-compat.XXXXXX")
pids=()
dockerd_pid=
cleanup() {
  if [[ -n $dockerd_pid ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # Mounts a killed tool may have left under the work dir would make rm fail.
  grep -o " $work/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  if [[ ${COMPAT_KEEP:-0} == 1 ]]; then echo "kept $work" >&2; else rm -rf "${work:?}"; fi
}
trap cleanup EXIT

# --- the dumper and base image maker (testkit's compat package) --------------------------------
mvn_offline=-o
mvn -q $mvn_offline -pl testkit compile >/dev/null 2>&1 || mvn_offline=
mvn -q $mvn_offline -pl testkit compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >"$work/mvn.log" 2>&1 ||
  { tail -n 20 "$work/mvn.log" >&2; exit 1; }
compat_java() { java -cp "$repo/testkit/target/classes:$(cat "$work/cp.txt")" dev.hoist.testkit.compat.CompatMain "$@"; }

# --- registry and base image ---------------------------------------------------------------------
BENCH_WORK=$work # bench/lib.sh's helpers keep their files there
source bench/lib.sh
read -r pid registry < <(start_registry "$work/registry")
pids+=("$pid")
busybox=$registry/busybox:latest
compat_java base "$work/base"
skopeo copy -q --dest-tls-verify=false "oci:$work/base:latest" "docker://$busybox"
echo "registry $registry, base $busybox, work dir $work" >&2

# The value of KEY in case NAME's case.properties, or nothing.
property() {
  local file=$compat/cases/$1/case.properties
  [[ -f $file ]] || return 0
  sed -n "s/^$2=//p" "$file" | tail -n 1
}

# Sets CTX (a copy of the case's context) and ARGS (-f, --build-arg, --target flags). The Dockerfile
# built, {{BUSYBOX}} replaced, lies outside the context: the context's own Dockerfile keeps
# {{BUSYBOX}}, so that a case copying its context into the image does not see the registry's port.
prepare() {
  local name=$1 pair build_args target
  CTX=$work/ctx/$name
  mkdir -p "$work/ctx" "$work/dockerfiles"
  cp -a "$compat/cases/$name" "$CTX"
  sed "s#{{BUSYBOX}}#$busybox#g" "$compat/cases/$name/Dockerfile" >"$work/dockerfiles/$name"
  # Git keeps only 0644 and 0755; a checkout's umask must not change what COPY sees.
  find "$CTX" -type d -exec chmod 0755 {} +
  find "$CTX" -type f -perm /111 -exec chmod 0755 {} +
  find "$CTX" -type f ! -perm /111 -exec chmod 0644 {} +
  ARGS=(-f "$work/dockerfiles/$name")
  target=$(property "$name" target)
  [[ -n $target ]] && ARGS+=(--target "$target")
  build_args=$(property "$name" build-args)
  if [[ -n $build_args ]]; then
    IFS=, read -ra pairs <<<"$build_args"
    for pair in "${pairs[@]}"; do ARGS+=(--build-arg "$pair"); done
  fi
  return 0
}

# first_error LOG: the line that says why a build failed (BuildKit's "error: ...", Buildah's "Error: ...").
first_error() {
  # The work dir's name changes every run: WORK keeps the golden file's comment stable.
  { grep -m1 -iE '^(error|ERROR:|Error:)' "$1" || grep -m1 -iE 'error' "$1" || tail -n 1 "$1"; } |
    sed "s#$work#WORK#g" | cut -c1-300
}

mkdir -p "$work/out"

if [[ $mode == hoist ]]; then
  ./hoist version >/dev/null
  for name in "${names[@]}"; do
    prepare "$name"
    echo "== $name" >&2
    rc=0
    ./hoist --root "$work/store" build --progress quiet --network none "${ARGS[@]}" \
      -o "type=oci,dest=$work/out/$name.tar" "$CTX" >"$work/out/$name.stdout" 2>"$work/out/$name.stderr" || rc=$?
    echo "$rc" >"$work/out/$name.status"
    if ((rc == 0)); then
      compat_java dump --base "$work/base" "$work/out/$name.tar" "$work/out/$name.dump"
    fi
  done
  rc=0
  compat_java compare "$compat/golden" "$compat/known-differences.txt" "$work/out" "${names[@]}" || rc=$?
  exit "$rc"
fi

# --- golden files: Docker + BuildKit and Buildah ----------------------------------------------------
DOCKER=/usr/bin/docker # Debian's 20.10 client: a newer client without buildx refuses BuildKit
d=$work/dockerd
mkdir -p "$d"
printf '{"insecure-registries": ["%s"], "iptables": false, "ip-masq": false, "bridge": "none"}\n' "$registry" >"$d/daemon.json"
dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
  --pidfile "$d/dockerd.pid" -H "unix://$d/docker.sock" >"$d/log" 2>&1 &
dockerd_pid=$!
export DOCKER_HOST=unix://$d/docker.sock
for _ in $(seq 150); do $DOCKER version >/dev/null 2>&1 && break; sleep 0.2; done
$DOCKER version >/dev/null 2>&1 || { echo "dockerd did not start: $(tail -n 3 "$d/log")" >&2; exit 1; }
buildah_store=(--root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver vfs)
docker_version=$($DOCKER version -f '{{.Server.Version}}')
buildah_version=$(buildah --version | cut -d' ' -f3)
mkdir -p "$compat/golden"
unexpected=()
for name in "${names[@]}"; do
  prepare "$name"
  echo "== $name" >&2
  header=("case $name: golden file of bench/compat/run.sh, do not edit")
  out=$work/out/$name
  tag=compat-$name:latest
  if DOCKER_BUILDKIT=1 $DOCKER build --progress=plain --network none "${ARGS[@]}" -t "$tag" "$CTX" >"$out.buildkit.log" 2>&1; then
    $DOCKER save -o "$out.docker.tar" "$tag"
    compat_java dump --base "$work/base" "$out.docker.tar" "$compat/golden/$name.buildkit" \
      "${header[@]}" "reference: Docker $docker_version with BuildKit (docker save)"
  else
    compat_java failed "$compat/golden/$name.buildkit" "$(first_error "$out.buildkit.log")" "${header[@]}" \
      "reference: Docker $docker_version with BuildKit"
  fi
  # Buildah refuses --network none with chroot isolation; its RUN steps then share the host's
  # network, which no case uses.
  if buildah "${buildah_store[@]}" bud --layers --isolation chroot --format docker \
    --tls-verify=false "${ARGS[@]}" -t "$tag" "$CTX" >"$out.buildah.log" 2>&1; then
    # docker-archive, not oci-archive: the OCI config has no Healthcheck, OnBuild or Shell.
    buildah "${buildah_store[@]}" push -q "$tag" "docker-archive:$out.buildah.tar:$tag" >/dev/null
    compat_java dump --base "$work/base" --buildah "$out.buildah.tar" "$compat/golden/$name.buildah" \
      "${header[@]}" "reference: Buildah $buildah_version (bud --layers --isolation chroot --format docker, push docker-archive:)"
  else
    compat_java failed "$compat/golden/$name.buildah" "$(first_error "$out.buildah.log")" "${header[@]}" \
      "reference: Buildah $buildah_version"
  fi
  for ref in buildkit buildah; do
    failed=0
    grep -qx 'status=failed' "$compat/golden/$name.$ref" && failed=1
    if [[ $(property "$name" expect) == fail ]]; then
      ((failed)) || unexpected+=("$name: $ref built it, but case.properties says expect=fail")
    elif ((failed)); then
      unexpected+=("$name: $ref failed: $(grep -m1 '^# error:' "$compat/golden/$name.$ref")")
    fi
  done
done
echo
compat_java refs "$compat/golden" "${names[@]}"
for u in "${unexpected[@]}"; do echo "UNEXPECTED $u"; done
