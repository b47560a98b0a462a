#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: install what is missing, build, check
# formatting and QML, then run every CTest label (unit, integration, ui). Integration suites
# start their own throwaway PostgreSQL clusters; nothing needs to be running beforehand.
# Extra arguments go to ctest (for example -L unit, or -R test_config).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
"$root/scripts/check-format.sh"
"$root/scripts/build.sh"
cmake --build "$build_dir" --target all_qmllint
cd "$build_dir"
exec ctest --output-on-failure --timeout 600 -j "${JOBS:-2}" "$@"
