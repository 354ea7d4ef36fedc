#!/usr/bin/env bash
# Builds Fluxion's API reference: Doxygen over the public headers
# (include/fluxion/*.hpp), README.md and docs/*.md, configured by
# docs/Doxyfile. Any Doxygen warning fails the run.
#
#   scripts/api_docs.sh                    # HTML in build/api-docs/html/index.html
#   scripts/api_docs.sh DIR                # HTML in DIR/html
#   scripts/api_docs.sh --no-install DIR   # exit 77 (skip) when doxygen is missing
#
# Installs doxygen with apt-get when it is missing (as scripts/setup.sh does),
# unless --no-install is given: the CTest test `api_docs` uses that, so a
# machine without doxygen reports the test as skipped, neither passed nor
# failed.
set -euo pipefail

install=1
if [[ ${1:-} == --no-install ]]; then
  install=0
  shift
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/build/api-docs}

if ! command -v doxygen >/dev/null; then
  if ((!install)); then
    echo "api_docs: doxygen is not installed (scripts/setup.sh installs it); skipping" >&2
    exit 77
  fi
  echo "Installing: doxygen"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends doxygen
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/doxygen-warnings.log"
cd "$root"  # docs/Doxyfile's paths are relative to the repository root
# The configuration plus the output directory, on standard input. Doxygen
# exits non-zero on a warning (WARN_AS_ERROR = FAIL_ON_WARNINGS); anything
# at all on its standard error counts as a failure too.
status=0
{ cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = \"$out\""; } | doxygen - 2>"$log" || status=$?
if ((status != 0)) || [[ -s $log ]]; then
  cat "$log" >&2
  echo "api_docs: doxygen reported the problems above (exit status $status)" >&2
  exit 1
fi
echo "API reference: $out/html/index.html"
