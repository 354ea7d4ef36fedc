#!/usr/bin/env bash
# Builds and runs the whole test suite: optimised build, then the
# AddressSanitizer + UBSan build, then the packaging checks (install +
# find_package, add_subdirectory).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

# jit compiles with the system compiler into an on-disk cache: a real one,
# in a fresh temporary directory, so no run sees another run's objects.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT

for preset in release sanitize; do
  echo "=== ${preset}: configure, build, test ==="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done

echo "=== packaging: install + find_package, and add_subdirectory ==="
bash scripts/check_packaging.sh
