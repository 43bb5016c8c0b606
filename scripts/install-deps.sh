#!/usr/bin/env bash
# Installs what hoist's build, tests and demo need on Debian 12, only where something is missing.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have java || need+=(openjdk-17-jdk-headless)
have javac || need+=(openjdk-17-jdk-headless)
have mvn || need+=(maven)
have skopeo || need+=(skopeo)
have docker-registry || need+=(docker-registry)
have runc || [[ -x /usr/sbin/runc ]] || need+=(runc)
have umoci || need+=(umoci)
[[ -x /bin/busybox ]] && /bin/busybox --list-full >/dev/null 2>&1 || need+=(busybox-static)
have unshare || need+=(util-linux)
have setpriv || need+=(util-linux)
have ip || need+=(iproute2)
have buildah || need+=(buildah)
have git || need+=(git)
# ssh-agent, ssh-add and ssh-keygen: the RUN --mount=type=ssh tests check hoist's agent with OpenSSH's own tools.
have ssh-agent || need+=(openssh-client)
have curl || need+=(curl)
# OpenSSL's libcrypto: hoist hashes SHA-256 with it (NativeDigests), and runs with the C1 JIT alone
# when it is there. Debian has it wherever ca-certificates is installed; asked for explicitly.
compgen -G "/usr/lib/*-linux-gnu/libcrypto.so.3" >/dev/null || need+=(libssl3)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
