#!/usr/bin/env bash
# Installs Fluxion's build and test dependencies from Debian's packages.
# Idempotent: installs only what is missing; needs root (or sudo) for apt-get.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  libhwy-dev libsleef-dev libopenblas-dev     # SIMD, vector math, CBLAS
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  python3-numpy                               # the oracle for array operations
  libssl-dev                                  # libcrypto: SHA-256 for jit's disk cache
  doxygen                                     # the API reference: scripts/api_docs.sh, test api_docs
  gnuplot-nox                                 # fx::plot draws figures with it (looked up at run time)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
