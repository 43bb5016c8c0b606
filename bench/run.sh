#!/usr/bin/env bash
# One-command benchmark: hoist beside buildah, Docker + BuildKit and skopeo (or a plain host
# reference) on this machine in one run, every scenario ROUNDS times, tools alternating per round.
#
#   bench/run.sh [ROUNDS]                      every scenario (default 3 rounds)
#   bench/run.sh --only multistage,steps [N]   some scenarios only (names: bench/scenarios/*.sh)
#
# Needs root on Debian 12; installs what is missing from Debian's packages. Starts its own
# docker-registry on a free loopback port and its own dockerd (own socket, data-root and
# exec-root under the work dir, no iptables, no bridge: RUN steps use the host network in every
# tool), and stops both at the end. Prints one markdown table of median wall times and peak RSS,
# also written to bench/results/latest.md (bench/results/only-NAMES.md with --only).
# BENCH_WORK_PARENT=DIR puts the scratch dir elsewhere (default /var/tmp: a disk, not tmpfs);
# BENCH_KEEP=1 keeps it.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
BENCH_REPO=$PWD
all_scenarios=(multistage debian-curl copy-20k run-100mb steps push-pull startup)
only=
while (($#)); do
  case $1 in
    --only) only=$2; shift 2 ;;
    --only=*) only=${1#--only=}; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
BENCH_ROUNDS=${1:-3}
scenarios=("${all_scenarios[@]}")
[[ -n $only ]] && IFS=, read -r -a scenarios <<<"$only"
for s in "${scenarios[@]}"; do
  [[ -f bench/scenarios/$s.sh ]] || { echo "bench/run.sh: no scenario '$s': pick from ${all_scenarios[*]}" >&2; exit 2; }
done
wants() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }
[[ $(id -u) == 0 ]] || { echo "bench/run.sh: run as root (buildah, dockerd and hoist's sandbox need it)" >&2; exit 2; }

# --- peers and tools, from Debian's packages -------------------------------------------------
bash scripts/install-deps.sh
need=()
for pair in time:/usr/bin/time bc:bc docker.io:/usr/bin/docker docker.io:dockerd debootstrap:debootstrap \
  iproute2:ss umoci:umoci; do
  command -v "${pair#*:}" >/dev/null 2>&1 || need+=("${pair%%:*}")
done
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
./hoist version >/dev/null # builds hoist (and its class-data archive) outside the timed runs

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "${BENCH_WORK_PARENT:=/var/tmp}"
BENCH_WORK=$(mktemp -d "$BENCH_WORK_PARENT/hoist-bench.XXXXXX")
BENCH_RESULTS=$BENCH_WORK/results.tsv
BENCH_FAILURES=$BENCH_WORK/failures.txt
: >"$BENCH_RESULTS"
: >"$BENCH_FAILURES"
export BENCH_REPO BENCH_WORK BENCH_ROUNDS BENCH_RESULTS BENCH_FAILURES
source bench/lib.sh

pids=()
dockerd_pid=
cleanup() {
  if [[ -n $dockerd_pid ]]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # Overlay mounts a killed tool may have left under the work dir would make rm fail.
  grep -o " $BENCH_WORK/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  [[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "${BENCH_WORK:?}"
}
trap cleanup EXIT

# --- the base images' registry -----------------------------------------------------------------
read -r pid BENCH_REGISTRY < <(start_registry "$BENCH_WORK/registry")
pids+=("$pid")
export BENCH_REGISTRY
echo "registry: $BENCH_REGISTRY; work dir: $BENCH_WORK" >&2

# --- dockerd, by hand ---------------------------------------------------------------------------
BENCH_DOCKER=0
docker_note="dockerd did not start"
dockerd_wanted=0
for s in "${scenarios[@]}"; do [[ $s == push-pull ]] || dockerd_wanted=1; done
if ((dockerd_wanted)); then
  d=$BENCH_WORK/dockerd
  mkdir -p "$d"
  printf '{"insecure-registries": ["%s"], "iptables": false, "ip-masq": false, "bridge": "none"}\n' \
    "$BENCH_REGISTRY" >"$d/daemon.json"
  dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/dockerd.pid" -H "unix://$d/docker.sock" >"$d/log" 2>&1 &
  dockerd_pid=$!
  export DOCKER_HOST=unix://$d/docker.sock
  for _ in $(seq 150); do $DOCKER version >/dev/null 2>&1 && { BENCH_DOCKER=1; break; }; sleep 0.2; done
  if ((BENCH_DOCKER)); then
    docker_note="Docker $($DOCKER version -f '{{.Server.Version}}') (daemon warm, own data-root)"
  else
    docker_note="dockerd did not start: $(grep -i -m1 -E 'level=(fatal|error)' "$d/log" | cut -c1-160)"
    echo "$docker_note" >&2
  fi
fi
export BENCH_DOCKER DOCKER_HOST

# --- network for RUN steps: the host's proxy, if apt or the environment has one -------------------
proxy=${http_proxy:-${HTTP_PROXY:-}}
[[ -z $proxy ]] && proxy=$(apt-config dump 2>/dev/null | sed -n 's/^Acquire::http::Proxy "\(.*\)";$/\1/p' | head -1)
BENCH_BUILD_ARGS=
[[ -n $proxy && $proxy != DIRECT ]] && BENCH_BUILD_ARGS="--build-arg http_proxy=$proxy --build-arg https_proxy=$proxy"
export BENCH_BUILD_ARGS

# --- base images ----------------------------------------------------------------------------------
scripts/busybox-image.sh "$BENCH_WORK/busybox-oci" >/dev/null
BENCH_BUSYBOX=$BENCH_REGISTRY/busybox:latest
skopeo copy -q --dest-tls-verify=false "oci:$BENCH_WORK/busybox-oci:latest" "docker://$BENCH_BUSYBOX"
export BENCH_BUSYBOX
if wants debian-curl; then
  layout=$(bench/debian-image.sh)
  BENCH_DEBIAN=$BENCH_REGISTRY/debian:bookworm
  skopeo copy -q --dest-tls-verify=false "oci:$layout:bookworm" "docker://$BENCH_DEBIAN"
  export BENCH_DEBIAN
fi

# --- scenarios ------------------------------------------------------------------------------------
started=$(date +%s)
for s in "${scenarios[@]}"; do
  echo "== $s ($BENCH_ROUNDS rounds)" >&2
  t0=$(date +%s)
  bash "bench/scenarios/$s.sh" || echo "scenario $s stopped with status $?" | tee -a "$BENCH_FAILURES" >&2
  echo "   $s took $(($(date +%s) - t0)) s" >&2
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table ------------------------------------------------------------------------------------
median() { sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.2f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
values() { # ROW TOOL COLUMN: the numbers in that column (not FAIL, -, daemon)
  awk -F'\t' -v r="$1" -v t="$2" -v c="$3" '$1==r && $2==t && $c ~ /^-?[0-9.]+$/ {print $c}' "$BENCH_RESULTS"
}
fails() { awk -F'\t' -v r="$1" -v t="$2" '$1==r && $2==t && $3=="FAIL"' "$BENCH_RESULTS" | wc -l; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
cell() { # ROW TOOL: sets CELL ("1.23 s (45 MB; CPU 0.80 s)", "failed", or empty: not run), CELL_SECS
  local rss cpu f extra=()
  CELL_SECS=$(values "$1" "$2" 3 | median); f=$(fails "$1" "$2"); CELL=
  if [[ -z $CELL_SECS ]]; then ((f)) && CELL=failed; return 0; fi
  rss=$(values "$1" "$2" 4 | median); cpu=$(values "$1" "$2" 5 | median)
  [[ -n $rss && $2 != hoist ]] && extra+=("$(mb "$rss") MB")
  [[ -n $cpu ]] && extra+=("CPU $cpu s")
  [[ $2 == docker ]] && extra+=("RSS and CPU n/a: daemon")
  ((f)) && extra+=("$f failed")
  CELL="$CELL_SECS s"
  if ((${#extra[@]})); then
    local joined
    printf -v joined '%s; ' "${extra[@]}"
    CELL+=" (${joined%; })"
  fi
  return 0
}
commit=$( (git rev-parse --short HEAD 2>/dev/null || echo "${BENCH_COMMIT:-}") | sed 's/^./ at &/')
{
  echo "hoist benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
    "kernel $(uname -r), $BENCH_ROUNDS rounds, $(($(date +%s) - started)) s; load average at start $load_start, at end $load_end."
  echo "Median wall time (\`/usr/bin/time\`), in brackets the median peak RSS (hoist: last column) and CPU time (user + system);" \
    "cold = each tool's own empty store (Docker: \`docker builder prune -af\` and no images, daemon warm); base images served by a local docker-registry;" \
    "hoist $(./hoist version 2>/dev/null | awk 'NR==1 {print $2}')$commit, $(buildah --version | cut -d' ' -f1-3), $docker_note, $(skopeo --version)."
  echo
  echo "| scenario | hoist | buildah | docker+buildkit | skopeo/reference | hoist/best peer | hoist peak RSS MB |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  awk -F'\t' '!seen[$1]++ {print $1}' "$BENCH_RESULTS" | while IFS= read -r row; do
    cell "$row" hoist; h=$CELL; hs=$CELL_SECS
    cell "$row" buildah; b=$CELL; bs=$CELL_SECS
    if ((BENCH_DOCKER)); then cell "$row" docker; d=$CELL; ds=$CELL_SECS; else d="n/a (dockerd did not start)"; ds=; fi
    ref=$(awk -F'\t' -v r="$row" '$1==r && $2 ~ /^ref:/ {print $2; exit}' "$BENCH_RESULTS")
    r=; rs=
    if [[ -n $ref ]]; then cell "$row" "$ref"; r=$CELL; rs=$CELL_SECS; [[ -n $r ]] && r="$r ${ref#ref:}"; fi
    best=$(printf '%s\n' $bs $ds $rs | sort -n | head -1)
    ratio=
    [[ -n $hs && -n $best ]] && ratio=$(awk -v h="$hs" -v b="$best" 'BEGIN {if (b > 0) printf "%.2f", h / b; else print "-"}')
    rss=$(values "$row" hoist 4 | median)
    [[ -n $rss ]] && rss=$(mb "$rss")
    echo "| $row | $h | $b | $d | $r | $ratio | $rss |"
  done
  if [[ -s $BENCH_FAILURES ]]; then
    echo
    echo "Failed runs (exact command, last lines of output):"
    echo
    echo '```'
    cat "$BENCH_FAILURES"
    echo '```'
  fi
} >"$BENCH_WORK/table.md"
mkdir -p bench/results
out=bench/results/latest.md
[[ -n $only ]] && out=bench/results/only-${only//,/-}.md
cp "$BENCH_WORK/table.md" "$out"
cp "$BENCH_RESULTS" "${out%.md}.tsv"
echo
cat "$BENCH_WORK/table.md"
echo
echo "(written to $out; raw measurements in ${out%.md}.tsv)"
