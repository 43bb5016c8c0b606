# Shared helpers of bench/run.sh and bench/scenarios/*.sh (sourced, not run).
#
# The scenarios run in the environment bench/run.sh sets up and exports:
#   BENCH_REPO      repository root (./hoist lives there)
#   BENCH_WORK      scratch dir of this run (stores, contexts, logs); deleted at the end
#   BENCH_ROUNDS    rounds per scenario
#   BENCH_RESULTS   TSV the scenarios append to: row, tool, wall s|FAIL, peak RSS KB, CPU s
#                   (user + system; "-" where unknown, "daemon" for Docker's client)
#   BENCH_FAILURES  text file: the exact command and log tail of each failed run
#   BENCH_REGISTRY  host:port of the local docker-registry holding the base images
#   BENCH_BUSYBOX   busybox base image in that registry
#   BENCH_DEBIAN    Debian minbase image in that registry (only when a scenario needs it)
#   BENCH_DOCKER    1 when the benchmark's own dockerd answers (DOCKER_HOST points to it)
#   BENCH_BUILD_ARGS  extra --build-arg flags for every tool (the host's proxy, if any)

DOCKER=/usr/bin/docker # Debian's 20.10 client: a newer client without buildx refuses BuildKit

# build_tools: the build tools of this run, as words (docker only when its daemon answers).
build_tools() {
  if [[ ${BENCH_DOCKER:-0} == 1 ]]; then echo hoist buildah docker; else echo hoist buildah; fi
}

# in_round_order ROUND WORD...: the words rotated by ROUND, so that no tool always runs first
# (and always meets a cold page cache or a busy neighbour).
in_round_order() {
  local round=$1; shift
  local words=("$@") n=$# i
  for ((i = 0; i < n; i++)); do printf '%s ' "${words[(i + round) % n]}"; done
}

# record ROW TOOL SECONDS RSS_KB CPU_SECONDS: one measurement into the results table.
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$BENCH_RESULTS"; }

# measure ROW TOOL CMD...: runs CMD under /usr/bin/time, records wall time, peak RSS and CPU time
# (user + system: steadier than wall time on a shared, loaded machine) and sets LAST_SECS and
# LAST_CPU. A failure is recorded as FAIL (with the command and its log in BENCH_FAILURES), and
# returns 1 so that a scenario can skip what depends on it; the benchmark goes on.
measure() {
  local row=$1 tool=$2; shift 2
  local t=$BENCH_WORK/time.out log=$BENCH_WORK/last.log
  local rss user sys
  if /usr/bin/time -f '%e %M %U %S' -o "$t" "$@" >"$log" 2>&1; then
    read -r LAST_SECS rss user sys <"$t"
    LAST_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    # The client's RSS and CPU say nothing: the daemon does the work.
    [[ $tool == docker ]] && rss=daemon LAST_CPU=daemon
    record "$row" "$tool" "$LAST_SECS" "$rss" "$LAST_CPU"
    return 0
  fi
  LAST_SECS=FAIL LAST_CPU=FAIL
  record "$row" "$tool" FAIL - -
  {
    printf '%s / %s failed: %s\n' "$row" "$tool" "$(printf '%q ' "$@")"
    grep -v '^Command exited with non-zero status' "$log" | tail -n 5 | sed 's/^/    /'
  } >>"$BENCH_FAILURES"
  echo "  FAILED: $row / $tool (see the table's notes)" >&2
  return 1
}

HOIST_STORE=(--root "$BENCH_WORK/store/hoist")
BUILDAH_STORE=(--root "$BENCH_WORK/store/buildah/root" --runroot "$BENCH_WORK/store/buildah/run" --storage-driver overlay)

# fresh TOOL: an empty store for TOOL (its "cold" state). For Docker the daemon stays up (warm)
# and loses its build cache and every image, so the base comes from the local registry again.
fresh() {
  case $1 in
    hoist) rm -rf "${BENCH_WORK:?}/store/hoist" ;;
    buildah)
      buildah "${BUILDAH_STORE[@]}" rm -a >/dev/null 2>&1 || true
      rm -rf "${BENCH_WORK:?}/store/buildah" ;;
    docker)
      $DOCKER builder prune -af >/dev/null
      local ids
      ids=$($DOCKER images -aq)
      [[ -z $ids ]] || $DOCKER rmi -f $ids >/dev/null 2>&1 || true ;;
  esac
}

# build_cmd TOOL CONTEXT [BUILD FLAGS...]: sets CMD to TOOL's build of CONTEXT with the flags
# (-t, --build-arg ... in docker build syntax), host network for RUN in all three tools.
build_cmd() {
  local tool=$1 context=$2; shift 2
  case $tool in
    hoist) CMD=("$BENCH_REPO/hoist" "${HOIST_STORE[@]}" build --network host ${BENCH_BUILD_ARGS:-} "$@" "$context") ;;
    buildah) CMD=(buildah "${BUILDAH_STORE[@]}" bud --layers --isolation chroot --network host
      --tls-verify=false ${BENCH_BUILD_ARGS:-} "$@" "$context") ;;
    docker) CMD=(env DOCKER_BUILDKIT=1 "$DOCKER" build --progress=plain --network host ${BENCH_BUILD_ARGS:-} "$@" "$context") ;;
  esac
}

# free_port: a TCP port no socket uses, below the kernel's ephemeral range (32768 up by default),
# where a client connection or one in TIME_WAIT could take it between this check and the bind.
free_port() {
  local port low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    [[ -z $(ss -Htan "sport = :$port") ]] && { echo "$port"; return; }
  done
}

# start_registry DIR: starts an empty docker-registry with its data in DIR, waits for it and
# prints "PID host:port". With REGISTRY_TLS=1 it serves HTTPS, with a self-signed certificate made
# in DIR (clients skip verification: hoist does for a loopback address, skopeo with
# --src-tls-verify=false / --dest-tls-verify=false), as Docker Hub, ghcr.io and most registries do.
start_registry() {
  local attempt
  for attempt in 1 2 3; do
    start_registry_on "$1" "$(free_port)" && return 0
  done
  return 1
}

start_registry_on() { # DIR PORT
  local dir=$1 port=$2 tls="" scheme=http
  mkdir -p "$dir"
  if [[ ${REGISTRY_TLS:-0} == 1 ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
    tls=", tls: {certificate: $dir/cert.pem, key: $dir/key.pem}"
    scheme=https
  fi
  cat >"$dir/config.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $dir/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: bench$tls}
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do
    curl -fsk "$scheme://127.0.0.1:$port/v2/" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || break # exited: e.g. another process took the port meanwhile
    sleep 0.1
  done
  curl -fsk "$scheme://127.0.0.1:$port/v2/" >/dev/null || {
    echo "docker-registry did not start on port $port: $(tail -n 3 "$dir/log")" >&2
    kill "$pid" 2>/dev/null
    return 1
  }
  echo "$pid 127.0.0.1:$port"
}

# make_random_image DIR MB LAYERS: an OCI layout DIR with the tag "img": LAYERS gzip layers of
# one random file each, MB in all (incompressible, so gzip costs the same for every tool).
make_random_image() {
  local dir=$1 mb=$2 n=$3 bundle=$BENCH_WORK/bundle.$$ l
  umoci init --layout "$dir" >/dev/null
  umoci new --image "$dir:img" >/dev/null
  for l in $(seq 1 "$n"); do
    rm -rf "$bundle"
    umoci unpack --image "$dir:img" "$bundle" >/dev/null
    head -c $((mb * 1024 * 1024 / n)) /dev/urandom >"$bundle/rootfs/layer$l.bin"
    umoci repack --image "$dir:img" "$bundle" >/dev/null
  done
  rm -rf "$bundle"
}
