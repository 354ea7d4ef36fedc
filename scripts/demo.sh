#!/usr/bin/env bash
# Builds and runs the demo: a tour of Fluxion for C++ scientists and engineers
# and for teachers, following five write-ups about JAX as a calculus tool.
# The build's own output goes to a log file, so the screen shows the tour; if
# the build fails, the end of the log is printed and the script fails.
# FLUXION_DEMO_BUILD_DIR chooses the build directory (default build/release).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${FLUXION_DEMO_BUILD_DIR:-build/release}
log="$build_dir/demo-build.log"
# In the order a newcomer reads them (examples/CMakeLists.txt).
programs=(tour seed_002_basics seed_003_taylor seed_000_taylor_errors seed_001_rational
  seed_004_derivatives_in_statistics programs control_flow solvers science speed)
# The figures chapter writes PNG files (with gnuplot) into the build directory.
programs+=(figures)
export FLUXION_FIGURES_DIR=${FLUXION_FIGURES_DIR:-$build_dir/figures}

mkdir -p "$build_dir"
echo "Building the tour in $build_dir (the build's output goes to $log)..."
if ! {
  bash scripts/setup.sh &&
    cmake --preset release -B "$build_dir" &&
    cmake --build "$build_dir" -j "$(nproc)" --target "${programs[@]}"
} >"$log" 2>&1; then
  echo "The build failed. The end of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi

cat <<EOF

FLUXION: JAX's calculus in C++

Fluxion brings JAX's transformations of functions to C++20. You write an ordinary
C++ function of fx::Array values (NumPy-like arrays, float64 by default); fx::grad,
fx::jacfwd, fx::jacrev and fx::hessian return its derivatives as new functions,
fx::vmap maps it over a batch, and fx::jit compiles it to machine code.

Every result below is printed after the C++ line that computed it; where JAX spells a
call differently, its spelling stands beside the C++ as a comment. The chapters follow
five write-ups that teach calculus with JAX, and print the numbers they print:

   1. Arrays                                   examples/tour.cpp
   2. Derivatives with fx::grad                examples/seed_002_basics.cpp
   3. Taylor polynomials                       examples/seed_003_taylor.cpp
   4. Taylor's theorem in several variables    examples/seed_000_taylor_errors.cpp
   5. A rational function                      examples/seed_001_rational.cpp
   6. Derivatives in statistics                examples/seed_004_derivatives_in_statistics.cpp
   7. Programs: what the transformations see   examples/programs.cpp
   8. Loops and branches                       examples/control_flow.cpp
   9. Custom derivative rules and structs      examples/solvers.cpp
  10. A Gaussian mixture, a Gaussian process   examples/science.cpp
  11. Speed, against hand-written C++          examples/speed.cpp
  12. The write-ups' figures, as PNG files     examples/figures.cpp

Each chapter is a program: $build_dir/examples/<name> runs it again on its own.
EOF

for program in "${programs[@]}"; do
  "$build_dir/examples/$program"
done

echo
echo "End of the tour. The build's log is $log."
