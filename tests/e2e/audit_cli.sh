#!/usr/bin/env bash
# End to end, the issue's "done means" for the audit log, with the real binary:
#  1. demo --headless (1 region) is ready; tokens issued from the CLI are recorded;
#  2. `audit check` recomputes the stored log; `audit export` writes a bundle that
#     `audit verify` accepts with no database running (the demo is stopped first);
#  3. one byte of one event changed, one line deleted, two lines swapped, the last line cut off,
#     a head's signature changed, another key pinned: `audit verify` fails, naming the position;
#  4. a tenant-filtered export verifies with inclusion proofs;
#  5. `console --audit BUNDLE --screenshot` renders the Audit page with no database.
# Usage: audit_cli.sh PATH/TO/upcoach-ops
set -euo pipefail
bin=$1
work=$(mktemp -d)
chmod 755 "$work" # as root the clusters run as postgres, which must reach the state dir
state=$work/state
pid=
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$work/demo.log" ] && tail -n 20 "$work/demo.log" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  shuf -i 20000-60000 -n 1; }
wait_for() { local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done; }

# 1. demo and recorded tokens
port=$(free_port)
"$bin" demo --headless --regions 1 --state-dir "$state" --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
pid=$!
ready() { kill -0 "$pid" 2>/dev/null || fail "demo exited"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ]; }
wait_for 60 ready || fail "demo not ready"
for role in ops-viewer ops-admin ops-viewer; do
  "$bin" token issue --role "$role" --state-dir "$state" >"$work/token" 2>"$work/token.log" || fail "token issue"
done
secret=$(cat "$work/token")

# 2. check, export, stop the database, verify offline
"$bin" audit check --state-dir "$state" >"$work/check.out" || { cat "$work/check.out"; fail "audit check"; }
grep -q "audit log: OK" "$work/check.out" || fail "audit check summary"
"$bin" audit export --state-dir "$state" "$work/bundle" >"$work/export.out" || { cat "$work/export.out"; fail "audit export"; }
if "$bin" audit export --state-dir "$state" "$work/bundle" >/dev/null 2>&1; then fail "export into a non-empty dir"; fi
"$bin" audit export --state-dir "$state" --tenant "" "$work/platform" >/dev/null || fail "tenant export"
kill -TERM "$pid"; wait "$pid" || fail "demo exit status $?"; pid=
"$bin" audit verify "$work/bundle" >"$work/verify.out" || { cat "$work/verify.out"; fail "audit verify of an intact bundle"; }
cat "$work/verify.out"
grep -q "complete log" "$work/verify.out" || fail "summary lacks the scope"
grep -Eq "events: +[0-9]+" "$work/verify.out" || fail "summary lacks the event count"
# Every issued token is in the log, by action; no secret is.
[ "$(grep -c '"action":"api-token.issue"' "$work/bundle/events.jsonl")" -ge 4 ] || fail "token issues not recorded"
grep -q "$secret" "$work/bundle/events.jsonl" && fail "a token secret reached the audit log"
"$bin" audit verify "$work/platform" >"$work/platform.out" || { cat "$work/platform.out"; fail "filtered bundle"; }
grep -q "filtered" "$work/platform.out" || fail "filtered summary"

# 3. the tamper matrix through the CLI: exit 1 and the position named
expect_fail() { # expect_fail NAME PATTERN: run verify on $work/t, expect exit 1 and PATTERN
  local code=0
  "$bin" audit verify "$work/t" >"$work/t.out" 2>&1 || code=$?
  [ $code = 1 ] || { cat "$work/t.out"; fail "$1: exit $code, expected 1"; }
  grep -Eq "$2" "$work/t.out" || { cat "$work/t.out"; fail "$1: output does not name the position ($2)"; }
  echo "detected $1: $(tail -n 1 "$work/t.out")"
}
fresh() { rm -rf "$work/t"; cp -r "$work/bundle" "$work/t"; }
# one byte of the second event's action flipped (whatever that event is: a token, a tenant, ...)
fresh; python3 - "$work/t/events.jsonl" <<'PY'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
at = lines[1].index('"action":"') + len('"action":"')
lines[1] = lines[1][:at] + chr(ord(lines[1][at]) ^ 1) + lines[1][at + 1:]
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
cmp -s "$work/t/events.jsonl" "$work/bundle/events.jsonl" && fail "the byte change did not apply"
expect_fail "one byte changed" "line 2"
fresh; sed -i '3d' "$work/t/events.jsonl"; expect_fail "one line deleted" "line 3"
fresh; sed -i '2{h;d};3{G}' "$work/t/events.jsonl"; expect_fail "two lines swapped" "line 2"
fresh; sed -i '$d' "$work/t/events.jsonl"; expect_fail "truncated" "events|line"
fresh; python3 - "$work/t/tree-heads.jsonl" <<'PY'
import base64, json, sys
path = sys.argv[1]
lines = open(path).read().splitlines()
head = json.loads(lines[0])
sig = bytearray(base64.b64decode(head["signature"]))
sig[0] ^= 1
head["signature"] = base64.b64encode(bytes(sig)).decode()
lines[0] = json.dumps(head, separators=(",", ":"))
open(path, "w").write("\n".join(lines) + "\n")
PY
expect_fail "signature changed" "tree-heads.jsonl line 1"
fresh; code=0
"$bin" audit verify --key-fingerprint "$(printf '0%.0s' $(seq 64))" "$work/t" >"$work/t.out" 2>&1 || code=$?
[ $code = 1 ] || fail "a pinned other key was accepted"

# 5. the Audit page with no database
if [ -n "${UPCOACH_SCREENS_DIR:-}" ]; then mkdir -p "$UPCOACH_SCREENS_DIR"; shot=$UPCOACH_SCREENS_DIR/audit-e2e.png; else shot=$work/audit.png; fi
QT_QPA_PLATFORM=offscreen "$bin" console --audit "$work/bundle" --page audit --screenshot "$shot" >"$work/console.log" 2>&1 ||
  { cat "$work/console.log"; fail "console --audit screenshot"; }
[ -s "$shot" ] || fail "no screenshot written"
echo "audit e2e: OK"
