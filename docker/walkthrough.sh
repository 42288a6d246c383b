#!/usr/bin/env bash
# The README's walk-through, scripted, against a running Portcullis and its directory:
#   docker/walkthrough.sh [BASE_URL [OTHER_NODE_URL [LDAP_URL]]]
# (defaults: http://127.0.0.1:8383, the same, ldap://127.0.0.1:389). Logs in as the demo people (REST and
# Tasklist), alice asks over REST (on the first node), bob approves (on the other node), ldapsearch shows
# alice in the group, the expiry takes her out again, frank verifies the audit trail, dave scrapes the
# metrics. Needs curl, ldapsearch (ldap-utils) and a node started with portcullis.requests.min-duration
# at most PT10S. Exits non-zero at the first step that does not hold.
set -euo pipefail
base=${1:-http://127.0.0.1:8383}
other=${2:-$base}
ldap=${3:-ldap://127.0.0.1:389}
group=cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo
alice=uid=alice,ou=people,dc=portcullis,dc=demo
jar=$(mktemp -d)
trap 'rm -rf "$jar"' EXIT

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1; }
members() { ldapsearch -x -H "$ldap" -D cn=admin,dc=portcullis,dc=demo -w admin-demo -b "$group" -s base -LLL member; }
# waits for a condition, polling every 200 ms, for at most $1 seconds
until_true() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# 1. login against the directory: REST (HTTP Basic) and Tasklist (its own login form)
[ "$(status -u alice:alice-demo "$base/api/catalog")" = 200 ] || fail "alice cannot log in over REST"
[ "$(status -u alice:wrong-password "$base/api/catalog")" = 401 ] || fail "a wrong password is not 401"
[ "$(status -u nobody:nobody-demo "$base/api/catalog")" = 401 ] || fail "an unknown person is not 401"
ok "REST login: alice in, a wrong password and an unknown name 401"
curl -s -c "$jar/c" -b "$jar/c" -o /dev/null "$base/camunda/app/tasklist/default/"
xsrf=$(awk '$6 == "XSRF-TOKEN" {print $7}' "$jar/c" | tail -1)
# a wrong password first: a successful login rotates the CSRF token, and the new one comes with the next GET
bad=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar/c" -b "$jar/c" -H "X-XSRF-TOKEN: $xsrf" \
  --data-urlencode username=bob --data-urlencode password=wrong "$base/camunda/api/admin/auth/user/default/login/tasklist")
[ "$bad" = 401 ] || fail "Tasklist took a wrong password ($bad)"
login=$(curl -s -c "$jar/c" -b "$jar/c" -H "X-XSRF-TOKEN: $xsrf" --data-urlencode username=bob --data-urlencode password=bob-demo \
  "$base/camunda/api/admin/auth/user/default/login/tasklist")
echo "$login" | grep -q '"userId":"bob"' || fail "bob cannot log into Tasklist: $login"
ok "Tasklist login: bob in, a wrong password refused"

# 2. alice asks, on the first node
members | grep -q "^member: $alice" && fail "alice is in staging-db-admin before the walk-through"
created=$(curl -s -u alice:alice-demo -H 'Content-Type: application/json' \
  -d '{"resource":"staging-db-admin","duration":"PT10S","justification":"walk-through on the production set-up","ticket":"OPS-101"}' \
  "$base/api/access-requests")
id=$(echo "$created" | field id)
[ -n "$id" ] && echo "$created" | grep -q '"status":"PENDING"' || fail "request not created: $created"
ok "alice asked on $base: request $id is PENDING"

# 3. bob approves, on the other node
approved=$(curl -s -u bob:bob-demo -H 'Content-Type: application/json' -d '{"comment":"ok"}' "$other/api/access-requests/$id/approve")
echo "$approved" | grep -q '"approver":"bob"' || fail "bob's approval was not taken: $approved"
ok "bob approved on $other"

# 4. the group changes
is_active() { curl -s -u alice:alice-demo "$base/api/access-requests/$id" | grep -q '"status":"ACTIVE"'; }
until_true 20 is_active || fail "the request did not become ACTIVE"
members | grep -q "^member: $alice" || fail "ldapsearch does not show alice in staging-db-admin"
ok "ACTIVE, and ldapsearch shows member: $alice"

# 5. the expiry takes it away
is_expired() { curl -s -u alice:alice-demo "$base/api/access-requests/$id" | grep -q '"status":"EXPIRED"'; }
until_true 40 is_expired || fail "the request did not expire"
members | grep -q "^member: $alice" && fail "alice is still in staging-db-admin after the expiry"
request=$(curl -s -u alice:alice-demo "$base/api/access-requests/$id")
ok "EXPIRED (expiresAt $(echo "$request" | field expiresAt), endedAt $(echo "$request" | field endedAt)), and alice is out of the group"

# 6. the auditor's view, and the operator's
verification=$(curl -s -u frank:frank-demo "$base/api/audit/verify")
echo "$verification" | grep -q '"valid":true' || fail "the audit trail does not verify: $verification"
ok "frank: the audit trail verifies"
scrape=$(curl -s -u dave:dave-demo "$base/actuator/prometheus")
echo "$scrape" | grep -q '^portcullis_expiry_delay_seconds_count' || fail "no expiry delay in the metrics"
[ "$(status "$base/actuator/health/readiness")" = 200 ] || fail "not ready"
[ "$(status -u alice:alice-demo "$base/actuator/prometheus")" = 403 ] || fail "alice may scrape the metrics"
ok "dave scrapes the metrics (expiry delay recorded); readiness UP; alice may not scrape"
echo "walk-through: all steps held"
