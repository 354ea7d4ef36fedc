#!/usr/bin/env bash
# Builds and runs the demo: a tour of the seed programs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target tour
./build/release/examples/tour
