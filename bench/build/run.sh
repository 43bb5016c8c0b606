#!/usr/bin/env bash
# The multi-stage build benchmark (cold, fully cached, one source file changed; hoist beside
# buildah and Docker + BuildKit) is now the "multistage" scenario of bench/run.sh:
#   bench/build/run.sh [ROUNDS]        (default 5 rounds)
exec "$(dirname "$(readlink -f "$0")")/../run.sh" --only multistage "${1:-5}"
