#!/usr/bin/env bash
# A consumer project builds against Fluxion both ways the README documents:
# find_package(fluxion CONFIG) after `cmake --install`, and add_subdirectory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/build/packaging
rm -rf "$work"
mkdir -p "$work"

cmake --install build/release --prefix "$work/prefix" >/dev/null
cmake -S tests/consumer -B "$work/find_package" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/find_package" >/dev/null
"$work/find_package/consumer"

cmake -S tests/consumer -B "$work/subdirectory" -G Ninja -DFLUXION_SOURCE_DIR="$root" >/dev/null
cmake --build "$work/subdirectory" >/dev/null
"$work/subdirectory/consumer"
# The parent build must not have pulled in Fluxion's own tests or examples.
if [[ -e "$work/subdirectory/fluxion/tests" || -e "$work/subdirectory/fluxion/examples" ]]; then
  echo "add_subdirectory build contains Fluxion's tests or examples" >&2
  exit 1
fi
echo "1 passed, 0 failed: packaging (find_package and add_subdirectory)"
