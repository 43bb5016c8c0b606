#!/usr/bin/env bash
# Runs hoist's whole test suite: unit, conformance and integration tests (these need root,
# kernel namespaces, overlayfs, runc, skopeo and a real docker-registry, all on this machine).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
bash scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
