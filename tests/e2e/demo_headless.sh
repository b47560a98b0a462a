#!/usr/bin/env bash
# End to end, as a new user would try it: the real binary, real clusters, real HTTP.
#  1. demo --headless --regions 3 on an empty state dir answers /readyz 200 within 60 s (the first
#     start also seeds 24 demo tenants: ~5 s idle, more on a loaded CI machine);
#  2. /api/ wants the token demo wrote (401 without, 200 with);
#  3. one region's postmaster killed: /readyz 503 naming it, /metrics shows it down within two
#     probe intervals;
#  4. SIGTERM stops the server and every cluster cleanly;
#  5. a warm restart recovers the killed region (stale postmaster.pid) and is ready again;
#  6. a second demo on the same state dir, a taken port and a bad config end with clear errors;
#  7. serve --config against the same databases, tokens issued via --config and --state-dir;
#     console --config renders its Regions page;
#  8. the demo killed with SIGKILL: the next start adopts the orphaned postmasters;
#  9. tenants: the seeded set is listed, one tenant per isolation strategy is created through the
#     API and listed, suspending twice gives a clear 409; a user is added, impersonated with a
#     reason (refused without one), viewed and released; a data key is rotated; owner and user
#     emails and reasons never reach the log.
# 11. identity ("Done means" of the identity issue): the seeded SSO tenant's SP metadata is SAML
#     metadata; its SCIM ServiceProviderConfig answers; a user created with the SCIM token the demo
#     wrote (state/scim-token, 0600) is read back and found by filter; unsigned and re-signed SAML
#     responses posted to the ACS are refused (401 naming the check); the token is not logged.
# 10. routing: /api/v1/route sends Japanese, German, Brazilian, South African and Singaporean
#     addresses to their nearest region; draining ap-northeast-1 moves Japan elsewhere, undraining
#     brings it back; /api/v1/traffic shows the synthetic traffic in several regions.
# Usage: demo_headless.sh PATH/TO/upcoach-ops
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
fail() { echo "FAIL: $*" >&2; [ -f "$work/demo.log" ] && tail -n 30 "$work/demo.log" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
  shuf -i 20000-60000 -n 1; }
status_of() { curl -s -o "$work/body" -w '%{http_code}' "$@" || true; }
wait_for() { # wait_for SECONDS command...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}

port=$(free_port)
base=http://127.0.0.1:$port
start_demo() {
  "$bin" demo --headless --regions 3 --state-dir "$state" --listen "127.0.0.1:$port" --probe-interval 1s \
    >>"$work/demo.log" 2>&1 &
  pid=$!
}

# 1. cold start
start=$(date +%s%N)
start_demo
ready() {
  kill -0 "$pid" 2>/dev/null || fail "demo exited before it was ready"
  [ "$(status_of "$base/readyz")" = 200 ]
}
wait_for 60 ready || fail "/readyz not 200 within 60 s of a cold start"
echo "cold start to /readyz 200: $(( ($(date +%s%N) - start) / 1000000 )) ms"
[ "$(status_of "$base/healthz")" = 200 ] || fail "/healthz"

# 2. the token
token_file=$state/admin-token
[ -f "$token_file" ] || fail "demo did not write $token_file"
[ "$(stat -c %a "$token_file")" = 600 ] || fail "admin-token mode is $(stat -c %a "$token_file"), not 600"
token=$(cat "$token_file")
[ "$(status_of "$base/api/v1/regions")" = 401 ] || fail "/api/v1/regions without a token is not 401"
[ "$(status_of -H "Authorization: Bearer uco_wrongwrongwrongwrongwrongwrongwrongwrongwro" "$base/api/v1/regions")" = 401 ] ||
  fail "/api/v1/regions with a wrong token is not 401"
[ "$(status_of -H "Authorization: Bearer $token" "$base/api/v1/regions")" = 200 ] || fail "/api/v1/regions with the token"
grep -q '"eu-west-1"' "$work/body" || fail "/api/v1/regions does not list eu-west-1"
grep -q "$token" "$work/demo.log" && fail "the token appears in the log"

# 11. identity
sso=$base/sso/saml/fabrikam
[ "$(status_of "$sso/metadata")" = 200 ] || fail "SP metadata: $(cat "$work/body")"
grep -q 'md:EntityDescriptor' "$work/body" && grep -q "entityID=\"$base/sso/saml/fabrikam/metadata\"" "$work/body" &&
  grep -q 'AssertionConsumerService' "$work/body" || fail "the SP metadata is not SAML metadata: $(head -c 400 "$work/body")"
if command -v xmllint >/dev/null; then xmllint --noout "$work/body" || fail "the SP metadata is not well-formed XML"; fi
scim_file=$state/scim-token
[ -f "$scim_file" ] && [ "$(stat -c %a "$scim_file")" = 600 ] || fail "demo did not write $scim_file (0600)"
scim_token=$(cat "$scim_file")
scim=$base/scim/v2/fabrikam
[ "$(status_of "$scim/ServiceProviderConfig")" = 200 ] && grep -q '"patch":{"supported":true}' "$work/body" ||
  fail "SCIM ServiceProviderConfig: $(cat "$work/body")"
sauth=(-H "Authorization: Bearer $scim_token" -H 'Content-Type: application/scim+json')
[ "$(status_of "$scim/Users")" = 401 ] || fail "SCIM /Users without the token is not 401"
code=$(status_of "${sauth[@]}" -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"e2e.scim@fabrikam.example","name":{"givenName":"Scim","familyName":"E2E"},"emails":[{"value":"e2e.scim@fabrikam.example","type":"work","primary":true}]}' "$scim/Users")
[ "$code" = 201 ] || fail "SCIM create: $code $(cat "$work/body")"
scim_id=$(sed -n 's/.*"id":"\([0-9a-f-]\{36\}\)".*/\1/p' "$work/body")
[ -n "$scim_id" ] || fail "the SCIM user has no id: $(cat "$work/body")"
[ "$(status_of "${sauth[@]}" "$scim/Users/$scim_id")" = 200 ] && grep -q '"userName":"e2e.scim@fabrikam.example"' "$work/body" ||
  fail "SCIM read back: $(cat "$work/body")"
[ "$(status_of "${sauth[@]}" "$scim/Users?filter=userName%20eq%20%22E2E.SCIM@fabrikam.example%22")" = 200 ] &&
  grep -q '"totalResults":1' "$work/body" || fail "SCIM filter: $(cat "$work/body")"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
unsigned="<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\" Version=\"2.0\" IssueInstant=\"$now\" Destination=\"$sso/acs\"><saml:Issuer>https://idp.fabrikam.example/metadata</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status><saml:Assertion ID=\"_a1\" Version=\"2.0\" IssueInstant=\"$now\"><saml:Issuer>https://idp.fabrikam.example/metadata</saml:Issuer><saml:Subject><saml:NameID>mallory@fabrikam.example</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
code=$(status_of --data-urlencode "SAMLResponse=$(printf '%s' "$unsigned" | base64 -w0)" "$sso/acs")
[ "$code" = 401 ] && grep -q 'sso-refused' "$work/body" || fail "an unsigned SAML response was not refused: $code $(cat "$work/body")"
# Re-signed by a key of our own making, its certificate in KeyInfo (the SP must ignore it).
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mallory -days 1 -keyout "$work/evil.key" -out "$work/evil.crt" 2>/dev/null
if command -v xmlsec1 >/dev/null; then
  signed_tpl="<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r2\" Version=\"2.0\" IssueInstant=\"$now\" Destination=\"$sso/acs\"><saml:Issuer>https://idp.fabrikam.example/metadata</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"#_r2\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status><saml:Assertion ID=\"_a2\" Version=\"2.0\" IssueInstant=\"$now\"><saml:Issuer>https://idp.fabrikam.example/metadata</saml:Issuer><saml:Subject><saml:NameID>mallory@fabrikam.example</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
  printf '%s' "$signed_tpl" > "$work/tpl.xml"
  xmlsec1 --sign --privkey-pem "$work/evil.key,$work/evil.crt" --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response \
    --output "$work/resigned.xml" "$work/tpl.xml" 2>"$work/xmlsec.log" || fail "xmlsec1 could not sign: $(cat "$work/xmlsec.log")"
  code=$(status_of --data-urlencode "SAMLResponse=$(base64 -w0 "$work/resigned.xml")" "$sso/acs")
  [ "$code" = 401 ] && grep -q 'sso-refused' "$work/body" || fail "a re-signed SAML response was not refused: $code $(cat "$work/body")"
fi
grep -q "$scim_token" "$work/demo.log" && fail "the SCIM token appears in the log"

# 9. tenants (while every region is up)
auth=(-H "Authorization: Bearer $token")
[ "$(status_of "${auth[@]}" "$base/api/v1/tenants?limit=1000")" = 200 ] || fail "GET /api/v1/tenants: $(cat "$work/body")"
grep -q '"northwind-health"' "$work/body" || fail "the seeded demo tenants are not listed"
for strategy in rls schema database; do
  code=$(status_of "${auth[@]}" -H 'Content-Type: application/json' \
    -d "{\"slug\":\"e2e-$strategy\",\"name\":\"E2E $strategy\",\"plan\":\"growth\",\"homeRegion\":\"us-west-2\",\"isolation\":\"$strategy\",\"ownerEmail\":\"owner@e2e-secret.example\"}" \
    "$base/api/v1/tenants")
  [ "$code" = 201 ] || fail "creating a $strategy tenant: $code $(cat "$work/body")"
  grep -q '"provisioning":"ready"' "$work/body" || fail "the $strategy tenant is not ready: $(cat "$work/body")"
done
[ "$(status_of "${auth[@]}" "$base/api/v1/tenants?q=e2e-")" = 200 ] || fail "listing the new tenants"
for strategy in rls schema database; do grep -q "\"e2e-$strategy\"" "$work/body" || fail "e2e-$strategy is not listed"; done
[ "$(status_of "${auth[@]}" -X POST "$base/api/v1/tenants/e2e-rls/suspend")" = 200 ] || fail "suspend: $(cat "$work/body")"
[ "$(status_of "${auth[@]}" -X POST "$base/api/v1/tenants/e2e-rls/suspend")" = 409 ] || fail "a second suspend is not 409"
grep -q 'already suspended' "$work/body" || fail "the 409 does not say why: $(cat "$work/body")"
# tenant operations: a user within the plan's seats, an impersonation with a reason (refused
# without one), the impersonated user's view, its end, and a data-key rotation
json=(-H 'Content-Type: application/json')
code=$(status_of "${auth[@]}" "${json[@]}" -d '{"email":"pat@e2e-secret.example","displayName":"Pat E2E","role":"coachee"}' \
  "$base/api/v1/tenants/e2e-schema/users")
[ "$code" = 201 ] || fail "adding a user: $code $(cat "$work/body")"
imp="$base/api/v1/tenants/e2e-schema/impersonations"
code=$(status_of "${auth[@]}" "${json[@]}" -d '{"subject":"pat@e2e-secret.example","reason":"because","ticket":"SUP-9"}' "$imp")
[ "$code" = 400 ] && grep -q '"field":"reason"' "$work/body" || fail "a short reason is not a 400 naming reason: $code $(cat "$work/body")"
code=$(status_of "${auth[@]}" "${json[@]}" \
  -d '{"subject":"pat@e2e-secret.example","reason":"Customer cannot see their goals after login","ticket":"SUP-9","durationMinutes":15}' "$imp")
[ "$code" = 201 ] || fail "starting an impersonation: $code $(cat "$work/body")"
imp_id=$(grep -o '"id":"[0-9a-f-]*"' "$work/body" | head -n 1 | cut -d'"' -f4)
[ "$(status_of "${auth[@]}" "$imp/$imp_id/overview")" = 200 ] || fail "the impersonated user's overview: $(cat "$work/body")"
grep -q '"displayName":"Pat E2E"' "$work/body" || fail "the overview is not the impersonated user's: $(cat "$work/body")"
[ "$(status_of "${auth[@]}" -X POST "$imp/$imp_id/end")" = 200 ] || fail "ending the impersonation: $(cat "$work/body")"
[ "$(status_of "${auth[@]}" -X POST "$imp/$imp_id/end")" = 409 ] || fail "ending it twice is not 409"
[ "$(status_of "${auth[@]}" "$imp/$imp_id/overview")" = 403 ] || fail "the overview after the end is not 403"
[ "$(status_of "${auth[@]}" -X POST "$base/api/v1/tenants/northwind-health/keys/rotate")" = 200 ] ||
  fail "rotating a data key: $(cat "$work/body")"
grep -q '"currentVersion":2' "$work/body" || fail "the rotation did not make version 2 current: $(cat "$work/body")"
grep -q '"pendingReencryption":0' "$work/body" || fail "values were left under the old key: $(cat "$work/body")"
grep -q 'e2e-secret' "$work/demo.log" && fail "an owner or user email appears in the log"
grep -q 'cannot see their goals' "$work/demo.log" && fail "an impersonation reason appears in the log"

# 10. routing (while every region is up): the nearest region per country through the real GeoIP
#     database, a drain that moves Japanese clients and an undrain that brings them back, and the
#     synthetic traffic in the analytics; no client address reaches the log
routing_start=$(date +%s%N)
first_region() { # first_region IP → the first region /api/v1/route answers, or "HTTP <status>"
  local code; code=$(status_of "${auth[@]}" "$base/api/v1/route?ip=$1")
  [ "$code" = 200 ] || { echo "HTTP $code"; return; }
  grep -o '"regions":\["[a-z0-9-]*"' "$work/body" | cut -d'"' -f4
}
for pair in 133.242.0.1=ap-northeast-1 85.214.0.1=eu-central-1 200.160.0.1=sa-east-1 \
            196.25.1.1=af-south-1 203.116.0.1=ap-southeast-1 2001:240::1=ap-northeast-1; do
  got=$(first_region "${pair%%=*}")
  [ "$got" = "${pair#*=}" ] || fail "route for ${pair%%=*}: $got, expected ${pair#*=}: $(cat "$work/body")"
done
[ "$(status_of "${auth[@]}" "$base/api/v1/route?ip=192.0.2.1")" = 403 ] || fail "a documentation address is not refused"
drain="$base/api/v1/regions/ap-northeast-1"
code=$(status_of "${auth[@]}" "${json[@]}" -d '{"reason":"e2e: planned maintenance in Tokyo"}' "$drain/drain")
[ "$code" = 200 ] || fail "draining ap-northeast-1: $code $(cat "$work/body")"
got=$(first_region 133.242.0.1)
case "$got" in ap-northeast-1|HTTP*) fail "a Japanese client still goes to $got after the drain: $(cat "$work/body")";; esac
grep -q '"kind":"failover"' "$work/body" || fail "the drained answer is not a failover: $(cat "$work/body")"
code=$(status_of "${auth[@]}" "${json[@]}" -d '{"reason":"e2e: planned maintenance in Tokyo"}' "$drain/drain")
[ "$code" = 409 ] || fail "draining twice is not 409: $code"
code=$(status_of "${auth[@]}" "${json[@]}" -d '{"reason":"e2e: maintenance is over"}' "$drain/undrain")
[ "$code" = 200 ] || fail "undraining ap-northeast-1: $code $(cat "$work/body")"
[ "$(first_region 133.242.0.1)" = ap-northeast-1 ] || fail "Japanese clients did not come back after the undrain"
[ "$(status_of "${auth[@]}" "$base/api/v1/traffic")" = 200 ] || fail "GET /api/v1/traffic: $(cat "$work/body")"
# (keys are sorted: ..."id", "latencyMs", "override" (null: nothing is drained now), "requests"...)
busy=$(grep -oE '"id":"[a-z0-9-]+","latencyMs":\{[^}]*\},"override":null,"requests":[1-9]' "$work/body" | wc -l)
[ "$busy" -ge 3 ] || fail "synthetic traffic reached only $busy regions: $(head -c 600 "$work/body")"
grep -q '133\.242\.0\.1\|85\.214\.0\.1' "$work/demo.log" && fail "a client address appears in the log"
echo "routing: 6 countries routed, drain/undrain of ap-northeast-1, synthetic traffic in $busy regions: $(( ($(date +%s%N) - routing_start) / 1000000 )) ms"

# 3. kill one region
victim_pid=$(head -n 1 "$state/clusters/eu-west-1/postmaster.pid")
kill -KILL "$victim_pid"
killed_at=$(date +%s%N)
down() { [ "$(status_of "$base/readyz")" = 503 ] && grep -q 'eu-west-1' "$work/body"; }
wait_for 10 down || fail "/readyz did not turn 503 naming eu-west-1"
curl -s -D "$work/headers" -o /dev/null "$base/readyz"
grep -qi '^content-type: application/problem+json' "$work/headers" || fail "/readyz 503 is not problem+json"
# (grep -q on a pipe would stop reading early, and curl's SIGPIPE fails the pipeline under pipefail)
metrics() { curl -s -o "$work/metrics" "$base/metrics"; }
metrics_down() { metrics; grep -q '^upcoach_region_up{region="eu-west-1"} 0' "$work/metrics"; }
wait_for 10 metrics_down || fail "/metrics does not show eu-west-1 down"
elapsed=$(( ($(date +%s%N) - killed_at) / 1000000 ))
echo "postmaster killed to /readyz 503 and /metrics down: $elapsed ms (probe interval 1000 ms)"
[ "$elapsed" -le 3000 ] || fail "took $elapsed ms, more than two probe intervals and a probe timeout"
metrics; grep -q '^upcoach_region_up{region="us-east-1"} 1' "$work/metrics" || fail "us-east-1 should still be up"

# 4. SIGTERM
kill -TERM "$pid"
wait "$pid" || fail "demo exited with status $? on SIGTERM"
pid=
for region in us-east-1 us-west-2; do
  [ ! -f "$state/clusters/$region/postmaster.pid" ] || fail "$region was not stopped"
done

# 6a. a taken port (before the restart, so the state dir is free)
python3 -c 'import socket,time,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' "$port" &
squatter=$!
sleep 0.5
if "$bin" demo --headless --regions 1 --state-dir "$state" --listen "127.0.0.1:$port" >"$work/taken.log" 2>&1; then
  kill $squatter; fail "demo started on a taken port"
fi
kill $squatter 2>/dev/null || true
grep -q "127.0.0.1:$port" "$work/taken.log" || { cat "$work/taken.log"; fail "the taken-port error does not name the address"; }
[ ! -f "$state/clusters/us-east-1/postmaster.pid" ] || fail "a failed start left us-east-1 running"

# 5. warm restart
start=$(date +%s%N)
start_demo
wait_for 30 ready || fail "/readyz not 200 after a warm restart"
echo "warm restart to /readyz 200: $(( ($(date +%s%N) - start) / 1000000 )) ms"

# 7. serve --config against the demo's databases, and tokens issued through the config
port_of() { sed -n 4p "$state/clusters/$1/postmaster.pid"; }
cat >"$work/serve.yaml" <<YAML
control_plane: { region: us-east-1 }
regions:
  - id: us-east-1
    dsn: "host=127.0.0.1 port=$(port_of us-east-1) dbname=upcoach user=upcoach_service"
    password_file: $state/secrets/service
    owner: { user: upcoach, password_file: $state/secrets/superuser }
  - id: us-west-2
    dsn: "postgresql://upcoach_service@127.0.0.1:$(port_of us-west-2)/upcoach"
    password_env: E2E_PG_PASSWORD
    owner: { user: upcoach, password_file: $state/secrets/superuser }
monitor: { interval: 500ms, timeout: 1s }
audit: { signing_key_file: $state/secrets/audit-signing-key.pem }
YAML
serve_port=$(free_port)
E2E_PG_PASSWORD=$(cat "$state/secrets/service") "$bin" serve --config "$work/serve.yaml" --listen "127.0.0.1:$serve_port" \
  >"$work/serve.log" 2>&1 &
serve_pid=$!
serve_ready() { kill -0 $serve_pid 2>/dev/null || { cat "$work/serve.log"; fail "serve exited"; }
  [ "$(status_of "http://127.0.0.1:$serve_port/readyz")" = 200 ]; }
wait_for 20 serve_ready || fail "serve --config did not become ready"
viewer=$("$bin" token issue --role ops-viewer --kind service --expires-in 1d --config "$work/serve.yaml" 2>/dev/null) ||
  fail "token issue --config"
[ "$(status_of -H "Authorization: Bearer $viewer" "http://127.0.0.1:$serve_port/api/v1/regions")" = 200 ] ||
  fail "a token issued with --config is not accepted"
"$bin" token issue --role ops-viewer --kind service --config "$work/serve.yaml" >/dev/null 2>&1 &&
  fail "a service token without an expiry was issued"
# A token issued against the running demo's state directory works on both servers (one control
# plane). It is an operator token: a person's, so nothing but enrolment until a TOTP code.
admin2=$("$bin" token issue --role ops-admin --state-dir "$state" 2>/dev/null) || fail "token issue --state-dir"
[ "$(status_of -H "Authorization: Bearer $admin2" "$base/api/v1/me")" = 200 ] || fail "token from --state-dir rejected"
grep -q '"mfaPending":true' "$work/body" || fail "an operator token does not owe MFA: $(cat "$work/body")"
[ "$(status_of -H "Authorization: Bearer $admin2" "http://127.0.0.1:$serve_port/api/v1/regions")" = 403 ] ||
  fail "an operator token reached /api/v1/regions without a second factor"
[ "$(status_of -X POST -H "Authorization: Bearer $admin2" "$base/api/v1/me/mfa/totp")" = 201 ] &&
  grep -q '"otpauthUri":"otpauth://totp/UpCoach%20Ops:operator-' "$work/body" ||
  fail "operator TOTP enrolment: $(cat "$work/body")"
kill -TERM $serve_pid; wait $serve_pid || fail "serve exited with status $? on SIGTERM"
# The console against the same configuration: its Regions page has the configured traffic
# policy, its own traffic runtime and the control plane's tenants (screenshot, offscreen).
QT_QPA_PLATFORM=offscreen E2E_PG_PASSWORD=$(cat "$state/secrets/service") "$bin" console \
  --config "$work/serve.yaml" --page regions --screenshot "$work/console-regions.png" \
  >"$work/console.log" 2>&1 || { cat "$work/console.log"; fail "console --config --page regions failed"; }
[ -s "$work/console-regions.png" ] || fail "console --config wrote no screenshot"
grep -q "have no backend" "$work/console.log" && { cat "$work/console.log"; fail "the console's backend did not open"; }
[ -z "${UPCOACH_SCREENS_DIR:-}" ] || cp "$work/console-regions.png" "$UPCOACH_SCREENS_DIR/console-config-regions.png"

# 6b. a second demo on the same state directory
if "$bin" demo --headless --regions 3 --state-dir "$state" --listen 127.0.0.1:0 >"$work/second.log" 2>&1; then
  fail "a second demo on the same state dir started"
fi
grep -q "in use by another upcoach-ops" "$work/second.log" || { cat "$work/second.log"; fail "unclear error for a busy state dir"; }
[ "$(status_of "$base/readyz")" = 200 ] || fail "the running demo was disturbed"

# 6c. a bad configuration
printf 'regions:\n  - id: us-east-1\n    dsn: "host=db password=hunter2"\n' >"$work/bad.yaml"
if "$bin" serve --config "$work/bad.yaml" >"$work/bad.log" 2>&1; then fail "serve accepted a bad config"; fi
grep -q 'regions\[0\].dsn: contains an inline password' "$work/bad.log" || { cat "$work/bad.log"; fail "unclear config error"; }
grep -q hunter2 "$work/bad.log" && fail "the config error repeats the password"

# 8. the demo process itself crashes: its postmasters are orphaned, the next start adopts them
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -f "$state/clusters/us-east-1/postmaster.pid" ] || fail "expected the orphaned postmaster to keep running"
start_demo
wait_for 30 ready || fail "/readyz not 200 after restarting over orphaned postmasters"
grep -q "adopted the postmaster" "$work/demo.log" || fail "the orphaned postmasters were not adopted"

kill -TERM "$pid"; wait "$pid" || fail "demo exited with status $? on SIGTERM"; pid=
for region in us-east-1 us-west-2 eu-west-1; do
  [ ! -f "$state/clusters/$region/postmaster.pid" ] || fail "$region still running after SIGTERM"
done
