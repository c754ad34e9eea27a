#!/usr/bin/env bash
# Installs every build and test dependency of portstorm from Debian packages.
# Idempotent and non-interactive; run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang lld libclang-rt-14-dev          # fuzz preset (libFuzzer) and sanitizers
  libcli11-dev libfmt-dev libzstd-dev zstd zlib1g-dev
  libroaring-dev libxxhash-dev libabsl-dev
  libtomlplusplus-dev libsimdjson-dev   # simulator scenario files; JSON input (truth.json, EVE)
  libgtest-dev libgmock-dev libbenchmark-dev
  gzip coreutils procps tzdata time python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
