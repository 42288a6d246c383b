#!/usr/bin/env bash
# The upgrade path a user takes: a database made by the Camunda 7.24 build, taken over by the Operaton build,
# with requests in flight across the switch. On Debian's PostgreSQL and OpenLDAP (docker/run-by-hand.sh):
#   flock -o /tmp/shared-services.lock operaton/takeover.sh [PORT]      (default 8383)
# 1. the Camunda jar (target/portcullis-*.jar) on a new database: carol asks (left PENDING), erin asks for
#    TAKEOVER_ACTIVE_DURATION (default PT2M) and bob approves (ACTIVE, erin in the group);
# 2. that node is stopped, and the Operaton jar (target/operaton/target/portcullis-*.jar) starts on the same
#    database;
# 3. checks: Tasklist answers at /operaton/app/ (and bob logs in there), not at /camunda/app/; bob approves
#    carol's request made before the switch and she is granted; erin's request expires on time (EXPIRED, at
#    most 10 s after expiresAt) and she is out of the group; carol's expires too; the audit trail verifies
#    (one chain across both builds); no incident; the group holds what it held before.
# Builds the jars that are missing (the Operaton one with operaton/build.sh); TAKEOVER_CAMUNDA_JAR and
# TAKEOVER_OPERATON_JAR name others. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8383}
base=http://127.0.0.1:$port
active_duration=${TAKEOVER_ACTIVE_DURATION:-PT2M}
state=target/takeover
group=cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo
started=$(date +%s)
mkdir -p "$state"

fail() { echo "FAIL takeover: $*" >&2; exit 1; }
ok() { echo "ok   $* ($(( $(date +%s) - started )) s)"; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1; }
sql() { printf '%s\n' "$1" | su postgres -c "psql -d portcullis -qtAX -v ON_ERROR_STOP=1"; }
members() {
  ldapsearch -x -H ldap://127.0.0.1:389 -D cn=admin,dc=portcullis,dc=demo -w admin-demo -b "$group" -s base -LLL member \
    | grep '^member:' | sort
}
is_member() { members | grep -qi "^member: uid=$1,ou=people,dc=portcullis,dc=demo\$"; }
status_of() { sql "select status from access_request where id = '$1'"; }
# waits until the request has this status, for at most $3 seconds
await_status() {
  local deadline=$(( $(date +%s) + $3 ))
  until [ "$(status_of "$1")" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "request $1 is $(status_of "$1"), not $2, after $3 s"
    sleep 0.5
  done
}
ask() {
  local person=$1 duration=$2 created id
  created=$(curl -s -u "$person:$person-demo" -H 'Content-Type: application/json' \
    -d "{\"resource\":\"staging-db-admin\",\"duration\":\"$duration\",\"justification\":\"takeover by Operaton\",\"ticket\":\"OPS-32\"}" \
    "$base/api/access-requests")
  id=$(echo "$created" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
  [ -n "$id" ] || fail "$person's request was refused: $created"
  echo "$id"
}
approve() {
  curl -s -u bob:bob-demo -H 'Content-Type: application/json' -d '{"comment":"ok"}' "$base/api/access-requests/$1/approve" \
    | grep -q '"approver":"bob"' || fail "bob's approval of $1 was not taken"
}

# the two jars, copied (a build may replace target/'s meanwhile)
first() { for f in "$@"; do [ -e "$f" ] && { echo "$f"; return; }; done; return 0; }
camunda_jar=${TAKEOVER_CAMUNDA_JAR:-$(first target/portcullis-*.jar)}
[ -n "$camunda_jar" ] || { ./mvnw -q -B -ntp -DskipTests package; camunda_jar=${TAKEOVER_CAMUNDA_JAR:-$(first target/portcullis-*.jar)}; }
operaton_jar=${TAKEOVER_OPERATON_JAR:-$(first target/operaton/target/portcullis-*.jar)}
[ -n "$operaton_jar" ] || { operaton/build.sh -q -DskipTests package; operaton_jar=${TAKEOVER_OPERATON_JAR:-$(first target/operaton/target/portcullis-*.jar)}; }
cp "$camunda_jar" "$state/camunda.jar"
cp "$operaton_jar" "$state/operaton.jar"
# (grep -c reads the whole listing: grep -q would end the pipe early, and pipefail take unzip's SIGPIPE for a failure)
[ "$(unzip -Z1 "$state/camunda.jar" | grep -c '^BOOT-INF/lib/camunda-engine-7\.24\.')" = 1 ] || fail "$camunda_jar is not the Camunda 7.24 build"
[ "$(unzip -Z1 "$state/operaton.jar" | grep -c '^BOOT-INF/lib/operaton-engine-1\.0\.3\.')" = 1 ] || fail "$operaton_jar is not the Operaton 1.0.3 build"
trap 'docker/run-by-hand.sh down >/dev/null' EXIT

# 1. the Camunda build on a new database
FRESH_DATABASE=1 PORTCULLIS_JAR=$state/camunda.jar PORTCULLIS_REQUESTS_MIN_DURATION=PT5S docker/run-by-hand.sh up "$port"
before=$(members)
for person in carol erin; do is_member "$person" && fail "$person is in staging-db-admin before the check"; done
pending=$(ask carol PT30S)
active=$(ask erin "$active_duration")
approve "$active"
await_status "$active" ACTIVE 60
is_member erin || fail "erin is not in staging-db-admin"
expires_ms=$(sql "select (extract(epoch from expires_at) * 1000)::bigint from access_request where id = '$active'")
ok "on Camunda 7.24: carol's request $pending PENDING; erin's $active ACTIVE for $active_duration (ldapsearch: a member), expiring in $(( (expires_ms / 1000) - $(date +%s) )) s"
schema_before=$(sql "select value_ from act_ge_property where name_ = 'schema.version'")

# 2. the switch: the same database, the Operaton build
docker/run-by-hand.sh down
BY_HAND_ENGINE=operaton PORTCULLIS_JAR=$state/operaton.jar PORTCULLIS_REQUESTS_MIN_DURATION=PT5S docker/run-by-hand.sh up "$port"
grep -q 'org.operaton' target/by-hand/node-"$port".log || fail "the node that started is not the Operaton build"
[ "$(status_of "$active")" = ACTIVE ] || fail "erin's request is $(status_of "$active") right after the switch (it should still be ACTIVE)"
[ "$(status_of "$pending")" = PENDING ] || fail "carol's request is $(status_of "$pending") after the switch"
ok "on Operaton 1.0.3, the same database (schema.version $schema_before -> $(sql "select value_ from act_ge_property where name_ = 'schema.version'")): carol's request PENDING, erin's ACTIVE"

# 3. what a webapp user sees: Tasklist at /operaton/app/, and a login there
[ "$(status "$base/operaton/app/tasklist/default/")" = 200 ] || fail "Tasklist does not answer at /operaton/app/tasklist/"
[ "$(status "$base/camunda/app/tasklist/default/")" != 200 ] || fail "Tasklist still answers at /camunda/app/"
cookies=$(mktemp)
curl -s -c "$cookies" -b "$cookies" -o /dev/null "$base/operaton/app/tasklist/default/"
xsrf=$(awk '$6 == "XSRF-TOKEN" {print $7}' "$cookies" | tail -1)
login=$(curl -s -c "$cookies" -b "$cookies" -H "X-XSRF-TOKEN: $xsrf" --data-urlencode username=bob --data-urlencode password=bob-demo \
  "$base/operaton/api/admin/auth/user/default/login/tasklist")
rm -f "$cookies"
echo "$login" | grep -q '"userId":"bob"' || fail "bob cannot log into Operaton's Tasklist: $login"
ok "Tasklist answers at /operaton/app/tasklist/ (not at /camunda/app/), and bob logs in there"

# 4. the pending request is still approved and granted; the active one expires on time
approve "$pending"
await_status "$pending" ACTIVE 60
is_member carol || fail "carol is not in staging-db-admin after bob's approval on Operaton"
ok "bob approved carol's request made before the switch: ACTIVE, carol in the group"
await_status "$active" EXPIRED $(( (expires_ms / 1000) - $(date +%s) + 60 ))
late_ms=$(sql "select (extract(epoch from ended_at) * 1000)::bigint - $expires_ms from access_request where id = '$active'")
[ "$late_ms" -le 10000 ] || fail "erin's request expired $late_ms ms after expiresAt"
is_member erin && fail "erin is still in staging-db-admin after the expiry"
ok "erin's request, ACTIVE across the switch, EXPIRED $(awk -v ms="$late_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s after expiresAt, by Operaton; erin is out of the group"
await_status "$pending" EXPIRED 60
is_member carol && fail "carol is still in staging-db-admin after the expiry"
ok "carol's request EXPIRED too; she is out of the group"

verification=$(curl -s -u frank:frank-demo "$base/api/audit/verify")
echo "$verification" | grep -q '"valid":true' || fail "the audit trail does not verify: $verification"
[ "$(sql "select count(*) from act_ru_incident")" = 0 ] || fail "incidents are open"
[ "$(members)" = "$before" ] || fail "staging-db-admin is not as it was: $(members | tr '\n' ' ')"
ok "frank: the audit trail, written by both builds, verifies ($verification); no incident; the group as before"
echo "takeover: the Camunda 7.24 database was taken over by the Operaton build in $(( $(date +%s) - started )) s"
