#!/usr/bin/env bash
# The directory hangs under running nodes (issue 25: readiness said UP while every login took 10 s and
# ended in 500). slapd is frozen with SIGSTOP, as a hung server is: it still accepts connections but
# answers nothing. Each node's readiness must go DOWN (503) within the read timeout and a margin, a login
# that needs the directory must be answered 503 with Retry-After (not 500); after SIGCONT readiness is UP
# again and people log in. slapd is never left frozen: it is sent SIGCONT on any exit.
#   docker/directory-hangs.sh [PORT...]    nodes on 127.0.0.1 (default 8383 8384), started by
#                                          docker/run-by-hand.sh up, on Debian's slapd (.ci/slapd-up)
# Run as root (it signals slapd), under flock /tmp/shared-services.lock like everything on slapd.
set -euo pipefail
ports=("$@")
[ ${#ports[@]} -gt 0 ] || ports=(8383 8384)
# portcullis.directory.read-timeout of the nodes (default 10 s), and the slack of a loaded machine
read_timeout=${READ_TIMEOUT_SECONDS:-10}
margin=${MARGIN_SECONDS:-10}

fail() { echo "FAIL directory hangs: $*" >&2; exit 1; }
ok() { echo "ok   $*"; }
now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
status() { curl -s -m 60 -o /dev/null -w '%{http_code}' "$@"; }
readiness() { status "http://127.0.0.1:$1/actuator/health/readiness"; }
# polls every 200 ms until the node's readiness answers $2, for at most $3 seconds; prints the ms it took
wait_readiness() {
  local port=$1 want=$2 deadline=$(( $(date +%s) + $3 )) started; started=$(now_ms)
  until [ "$(readiness "$port")" = "$want" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
  echo $(( $(now_ms) - started ))
}

pid=$(cat "$(sed -n 's/^olcPidFile: //p' /etc/ldap/slapd.d/cn=config.ldif)" 2>/dev/null) || true
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "slapd is not running (.ci/slapd-up starts it)"
for port in "${ports[@]}"; do
  [ "$(readiness "$port")" = 200 ] || fail "node on $port is not ready before the directory hangs"
done
[ "$(status -u alice:alice-demo "http://127.0.0.1:${ports[0]}/api/catalog")" = 200 ] || fail "alice cannot log in before"
ok "every node ready, alice logs in; slapd (pid $pid) is frozen now with SIGSTOP"

trap 'kill -CONT "$pid" 2>/dev/null || true' EXIT
kill -STOP "$pid"
frozen=$(now_ms)
for port in "${ports[@]}"; do
  took=$(wait_readiness "$port" 503 $(( read_timeout + margin ))) \
    || fail "node on $port still ready $(( read_timeout + margin )) s after the directory hung"
  ok "node on $port: readiness DOWN (503) $(secs "$took") s after it asked, $(secs $(( $(now_ms) - frozen ))) s after the freeze"
done
# a password nobody has used, so that no remembered login answers for the directory
started=$(now_ms)
headers=$(curl -s -m 60 -D - -o /dev/null -u carol:not-carols-password "http://127.0.0.1:${ports[0]}/api/catalog")
code=$(head -1 <<< "$headers" | awk '{print $2}')
[ "$code" = 503 ] || fail "a login while the directory hangs answered $code, not 503"
grep -qi '^retry-after:' <<< "$headers" || fail "the 503 has no Retry-After"
ok "a login while the directory hangs: 503 with Retry-After after $(secs $(( $(now_ms) - started ))) s (read timeout ${read_timeout} s)"

kill -CONT "$pid"
resumed=$(now_ms)
for port in "${ports[@]}"; do
  wait_readiness "$port" 200 "$margin" >/dev/null || fail "node on $port not ready again $margin s after the directory answered"
  ok "node on $port: readiness UP again $(secs $(( $(now_ms) - resumed ))) s after SIGCONT"
done
[ "$(status -u carol:carol-demo "http://127.0.0.1:${ports[0]}/api/catalog")" = 200 ] || fail "carol cannot log in after"
ok "carol logs in again"
echo "directory hangs: every node DOWN while slapd was frozen, UP again after, no 500"
