#!/usr/bin/env bash
# Builds and runs the whole test suite: optimised build, then the
# AddressSanitizer + UBSan build, then the packaging checks (install +
# find_package, add_subdirectory), and ends with one summary of all three.
# A failing test does not stop the later suites (the summary stays complete);
# a configure or build failure stops the run. Exits non-zero if anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

# jit compiles with the system compiler into an on-disk cache: a real one,
# in a fresh temporary directory, so no run sees another run's objects.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
logs=$(mktemp -d)

suites=(release sanitize packaging)
declare -A what=([release]="release   (optimised build)"
                 [sanitize]="sanitize  (ASan+UBSan build)"
                 [packaging]="packaging (check_packaging.sh)")
declare -A result=()  # suite -> its summary line, once it has run
total_passed=0
total_failed=0
failures=()  # what failed, for the verdict
running=""   # the suite under way, for the summary of a stopped run

duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Counts from ctest's own tally, "N% tests passed, F tests failed out of T",
# which counts a test whose executable is missing as failed (its JUnit output
# lists that as skipped). T includes skipped tests, listed under "The
# following tests did not run:" as "(Skipped)"; they are not counted passed.
# Prints "passed failed skipped", or nothing when ctest printed no tally.
ctest_counts() {
  local log=$1 tally failed total skipped
  tally=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1) || return 0
  [[ $tally =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]] || return 0
  failed=${BASH_REMATCH[1]}
  total=${BASH_REMATCH[2]}
  skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .* \(Skipped\)$' "$log" || true)
  echo "$((total - failed - skipped)) $failed $skipped"
}

# record <suite> <kind> <passed> <failed> <skipped> <seconds> [extra]
record() {
  local suite=$1 kind=$2 passed=$3 failed=$4 skipped=$5 seconds=$6 extra=${7:-}
  ((skipped > 0)) && extra="$skipped skipped${extra:+; }$extra"
  result[$suite]=$(printf '%-32s %-7s %6d passed %5d failed  in %s%s' "${what[$suite]}" "$kind:" \
    "$passed" "$failed" "$(duration "$seconds")" "${extra:+  ($extra)}")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}

summary() {
  local status=$?
  rm -rf "$XDG_CACHE_HOME" "$logs"
  echo
  echo "=== summary ==="
  local suite
  for suite in "${suites[@]}"; do
    if [[ -n ${result[$suite]:-} ]]; then
      echo "${result[$suite]}"
    elif [[ $suite == "$running" ]]; then
      printf '%-32s stopped: %s\n' "${what[$suite]}" "${stage:-it} failed (see above)"
    else
      printf '%-32s not run\n' "${what[$suite]}"
    fi
  done
  if ((status == 0 && ${#failures[@]} == 0)); then
    echo "PASSED: all $total_passed tests and checks passed"
  else
    ((${#failures[@]} > 0)) || failures+=("${running:-the run} stopped early")
    local joined
    joined=$(printf '; %s' "${failures[@]}")
    echo "FAILED: $total_failed failed, $total_passed passed${joined}"
  fi
}
trap summary EXIT

for preset in release sanitize; do
  running=$preset
  echo "=== ${preset}: configure, build, test ==="
  start=$SECONDS
  stage="configure"
  if ! cmake --preset "$preset" >"$logs/configure.log" 2>&1; then
    cat "$logs/configure.log"
    failures+=("$preset: configure failed")
    exit 1
  fi
  stage="build"
  cmake --build --preset "$preset" -j "$jobs" || { failures+=("$preset: build failed"); exit 1; }
  built=$((SECONDS - start))
  start=$SECONDS
  stage="ctest"
  rc=0
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$logs/$preset.log" || rc=$?
  counts=$(ctest_counts "$logs/$preset.log")
  if [[ -z $counts ]]; then
    record "$preset" ctest 0 0 0 $((SECONDS - start)) "ctest exited $rc without a tally; build $(duration "$built")"
    failures+=("$preset: ctest exited $rc without a tally")
  else
    read -r passed failed skipped <<<"$counts"
    record "$preset" ctest "$passed" "$failed" "$skipped" $((SECONDS - start)) "build $(duration "$built")"
    if ((failed > 0)); then
      failures+=("$preset: $failed test(s) failed")
    elif ((rc != 0)); then
      failures+=("$preset: ctest exited $rc")
    fi
  fi
done

running=packaging
stage="check_packaging.sh"
echo "=== packaging: install + find_package, and add_subdirectory ==="
start=$SECONDS
rc=0
bash scripts/check_packaging.sh 2>&1 | tee "$logs/packaging.log" || rc=$?
tally=$(grep -E '^[0-9]+ passed, [0-9]+ failed: packaging' "$logs/packaging.log" | tail -n 1 || true)
if [[ $tally =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
  record packaging checks "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" 0 $((SECONDS - start))
  ((BASH_REMATCH[2] == 0 && rc == 0)) || failures+=("packaging: check_packaging.sh failed")
else
  record packaging checks 0 0 0 $((SECONDS - start)) "exited $rc without a tally"
  failures+=("packaging: check_packaging.sh exited $rc without a tally")
fi
running=""

((${#failures[@]} == 0))
