#!/usr/bin/env bash
# Installs whatever the project needs that is missing on a Debian 12 machine. Idempotent:
# packages already present are skipped and apt is not called at all when nothing is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$here/debian-packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

# apt-get install as root, or through sudo.
apt_install() {
  local sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  apt_install "${missing[@]}"
else
  echo "setup: all ${#wanted[@]} Debian packages present"
fi

# npm data (scripts/npm): the CC0 GeoIP country database the router and its tests read, and
# Natural Earth for scripts/gen-world.mjs. Node comes from Debian only when npm is missing (a
# machine may have its own nodejs package with npm in it). `npm ci` runs only when node_modules
# was not installed from the current package-lock.json.
npm_dir="$here/npm"
if ! command -v npm >/dev/null; then
  echo "setup: npm is missing; installing Debian's nodejs and npm"
  apt_install nodejs npm
fi
lock_sum=$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)
lock_stamp="$npm_dir/node_modules/.upcoach-lock-sha256"
if [ -f "$lock_stamp" ] && [ "$(cat "$lock_stamp")" = "$lock_sum" ] &&
   [ -f "$npm_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm packages match package-lock.json"
else
  echo "setup: installing npm packages (scripts/npm)"
  (cd "$npm_dir" && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$lock_stamp"
fi
