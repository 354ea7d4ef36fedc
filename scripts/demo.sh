#!/usr/bin/env bash
# Builds and runs the demo: a tour of the seed programs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
seeds=(seed_000_taylor_errors seed_001_rational seed_002_basics seed_003_taylor seed_004_derivatives_in_statistics)
cmake --build --preset release -j "$(nproc)" --target tour control_flow solvers "${seeds[@]}"
./build/release/examples/tour
echo
echo "################ control_flow ################"
./build/release/examples/control_flow
echo
echo "################ solvers ################"
./build/release/examples/solvers
for seed in "${seeds[@]}"; do
  echo
  echo "################ ${seed} ################"
  ./build/release/examples/$seed
done
