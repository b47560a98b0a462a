#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build, run the demo.
# Arguments go to 'upcoach-ops demo' (for example --regions 3, --headless, --kiosk).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/app/upcoach-ops" demo "$@"
