#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format 14 (the repo's .clang-format) makes of it.
# With --fix, rewrites the files instead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.h')
[ ${#files[@]} -gt 0 ] || exit 0
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/upcoach-format.log; then
  grep -E '^[^ ].*: (error|warning)' /tmp/upcoach-format.log | cut -d: -f1 | sort -u | sed 's/^/format drift: /'
  echo "check-format: run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clean"
