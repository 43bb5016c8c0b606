#!/usr/bin/env bash
# Scenario 6: push a 200 MB image of 4 gzip layers (random data) to an empty registry, and pull it
# back into an empty store: hoist beside `skopeo copy` (oci: layout <-> docker://). Every timed
# push goes to a registry of its own, started empty for it: a second push to the same registry
# would only mount blobs (skopeo's blob-info cache does that across repositories). Then the same
# pull from a registry that serves HTTPS.
# PUSH_PULL_MB and PUSH_PULL_LAYERS change the image (bench/registry/push-pull.sh also measures
# hoist's peak RSS under a 64 MiB heap cap).
set -euo pipefail
source "$BENCH_REPO/bench/lib.sh"
mb=${PUSH_PULL_MB:-200}
layers=${PUSH_PULL_LAYERS:-4}
dir=$BENCH_WORK/push-pull
rm -rf "$dir"
mkdir -p "$dir"
registry_pids=()
trap 'for p in "${registry_pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
registries=0
new_registry() { # sets REG to a fresh, empty registry
  local pid
  registries=$((registries + 1))
  read -r pid REG < <(start_registry "$dir/registry-$registries")
  registry_pids+=("$pid")
}
make_random_image "$dir/layout" "$mb" "$layers"
"$BENCH_REPO/hoist" --root "$dir/hoist-src" copy "oci:$dir/layout:img" hoist:bench/img:1 >/dev/null # import, untimed
new_registry
source_registry=$REG
skopeo copy -q --dest-tls-verify=false "oci:$dir/layout:img" "docker://$source_registry/bench/img:1"
row_push="push ${mb} MB, $layers layers, to an empty registry"
row_pull="pull ${mb} MB, $layers layers, into an empty store"
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" hoist skopeo); do
    echo "   round $round: $tool" >&2
    new_registry
    rm -rf "$dir/pulled"
    if [[ $tool == hoist ]]; then
      measure "$row_push" hoist "$BENCH_REPO/hoist" --root "$dir/hoist-src" push -q bench/img:1 "$REG/bench/img:1" || true
      measure "$row_pull" hoist "$BENCH_REPO/hoist" --root "$dir/pulled" pull -q "$source_registry/bench/img:1" || true
    else
      measure "$row_push" ref:skopeo skopeo copy -q --dest-tls-verify=false "oci:$dir/layout:img" "docker://$REG/bench/img:1" || true
      measure "$row_pull" ref:skopeo skopeo copy -q --src-tls-verify=false "docker://$source_registry/bench/img:1" "oci:$dir/pulled:img" || true
    fi
    kill "${registry_pids[-1]}" 2>/dev/null || true
  done
done

# The same pull from a registry that serves HTTPS (self-signed, verification skipped by both), as
# Docker Hub, ghcr.io and most registries do: TLS decryption is most of the extra work.
REGISTRY_TLS=1 new_registry
tls_registry=$REG
skopeo copy -q --dest-tls-verify=false "oci:$dir/layout:img" "docker://$tls_registry/bench/img:1"
row_tls="pull ${mb} MB, $layers layers, over TLS"
for round in $(seq "$BENCH_ROUNDS"); do
  for tool in $(in_round_order "$round" hoist skopeo); do
    echo "   round $round: $tool (TLS)" >&2
    rm -rf "$dir/pulled"
    if [[ $tool == hoist ]]; then
      measure "$row_tls" hoist "$BENCH_REPO/hoist" --root "$dir/pulled" pull -q "$tls_registry/bench/img:1" || true
    else
      measure "$row_tls" ref:skopeo skopeo copy -q --src-tls-verify=false "docker://$tls_registry/bench/img:1" "oci:$dir/pulled:img" || true
    fi
  done
done
