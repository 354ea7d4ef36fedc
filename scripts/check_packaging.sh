#!/usr/bin/env bash
# A consumer project builds against Fluxion both ways the README documents:
# find_package(fluxion CONFIG) after `cmake --install`, and add_subdirectory;
# and the installed CMake package itself is clean. Every check runs even when
# an earlier one failed; the last line ("N passed, M failed: packaging")
# is what scripts/test.sh's summary reads. Exits non-zero if any check failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
work=$root/build/packaging
rm -rf "$work"
mkdir -p "$work"

# Runs a command quietly into a log, which is shown only when it fails.
quiet() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "command failed: $*" >&2
    return 1
  fi
}

# Every INTERFACE_* list of the exported targets names each entry once and has
# no empty entries, such as an empty $<LINK_ONLY:> left by a build-only link.
targets_file_is_clean() {
  local file=$1 ok=0 line prop entry dups
  [[ -f $file ]] || { echo "no targets file at $file" >&2; return 1; }
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(INTERFACE_[A-Z_]+)[[:space:]]+\"(.*)\"$ ]] || continue
    prop=${BASH_REMATCH[1]}
    local -a entries=()
    IFS=';' read -ra entries <<<"${BASH_REMATCH[2]}"
    dups=$(printf '%s\n' "${entries[@]}" | sort | uniq -d)
    if [[ -n $dups ]]; then
      echo "$file: $prop lists $(tr '\n' ' ' <<<"$dups")more than once" >&2
      ok=1
    fi
    for entry in "${entries[@]}"; do
      if [[ -z $entry || $entry =~ \<[A-Z_]+:\>$ ]]; then
        echo "$file: $prop has an empty entry '${entry}'" >&2
        ok=1
      fi
    done
  done <"$file"
  return $ok
}

installed_package_is_clean() {
  quiet "$work/install.log" cmake --install build/release --prefix "$work/prefix" || return 1
  targets_file_is_clean "$(find "$work/prefix" -name fluxionTargets.cmake -print -quit)"
}

# The calculus command line is installed beside the library, and runs.
installed_calc_runs() {
  local calc=$work/prefix/bin/fluxion-calc out
  [[ -x $calc ]] || { echo "no fluxion-calc installed at $calc" >&2; return 1; }
  out=$("$calc" diff "sin(x) + cos(x)" --at 0 --order 2) || return 1
  [[ $out == $'f(0) = 1\nf′(0) = 1\nf″(0) = -1' ]] || { echo "installed fluxion-calc printed: $out" >&2; return 1; }
}

find_package_consumer_runs() {
  quiet "$work/fp-configure.log" cmake -S tests/consumer -B "$work/find_package" -G Ninja \
    -DCMAKE_PREFIX_PATH="$work/prefix" || return 1
  quiet "$work/fp-build.log" cmake --build "$work/find_package" || return 1
  "$work/find_package/consumer"
}

add_subdirectory_consumer_runs() {
  quiet "$work/sub-configure.log" cmake -S tests/consumer -B "$work/subdirectory" -G Ninja \
    -DFLUXION_SOURCE_DIR="$root" || return 1
  quiet "$work/sub-build.log" cmake --build "$work/subdirectory" || return 1
  "$work/subdirectory/consumer" || return 1
  # The parent build must not have pulled in Fluxion's own tests or examples.
  if [[ -e "$work/subdirectory/fluxion/tests" || -e "$work/subdirectory/fluxion/examples" ]]; then
    echo "add_subdirectory build contains Fluxion's tests or examples" >&2
    return 1
  fi
}

passed=0
failed=0
for check in installed_package_is_clean installed_calc_runs find_package_consumer_runs add_subdirectory_consumer_runs; do
  if "$check"; then
    echo "ok      $check"
    passed=$((passed + 1))
  else
    echo "FAILED  $check" >&2
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed: packaging (installed package, find_package and add_subdirectory)"
((failed == 0))
