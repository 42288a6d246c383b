#!/usr/bin/env bash
# The set-up of docker/compose.yaml without Docker: Debian's PostgreSQL and OpenLDAP (slapd, seeded with
# the demo organisation) and the jar with the prod profile, as one or more nodes on one database.
#   docker/run-by-hand.sh up [PORT...]   build the jar if needed, start the services and a node per port
#                                        (default 8383 8384), wait until each is ready
#   docker/run-by-hand.sh down           stop the nodes this script started
#   docker/run-by-hand.sh check          up, the walk-through (docker/walkthrough.sh) across the nodes, down
# State (database password, audit keys, logs, pids) lives in target/by-hand/. Run as root (it installs
# and starts Debian's services).
set -euo pipefail
cd "$(dirname "$0")/.."
state=target/by-hand
mkdir -p "$state"

# PORTCULLIS_JAR names another jar (a copy, so that a build may replace target/'s meanwhile)
jar() {
  [ -n "${PORTCULLIS_JAR:-}" ] && { echo "$PORTCULLIS_JAR"; return; }
  for f in target/portcullis-*.jar; do [ -e "$f" ] && { echo "$f"; return; }; done
}

up() {
  local ports=("$@")
  [ ${#ports[@]} -gt 0 ] || ports=(8383 8384)
  # a password of this machine's own for the database, and audit keys of its own: no defaults
  [ -s "$state/db-password" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$state/db-password"
  [ -s "$state/audit-keys.env" ] || java tools/GenerateAuditKeys.java > "$state/audit-keys.env"
  chmod 600 "$state/db-password" "$state/audit-keys.env"
  .ci/postgres-up portcullis "$(cat "$state/db-password")"
  # the walk-through verifies the whole audit trail with this state's keys: a check starts on a new database
  if [ "${FRESH_DATABASE:-0}" = 1 ]; then su postgres -c "dropdb --if-exists portcullis"; fi
  .ci/postgres-up portcullis "$(cat "$state/db-password")" portcullis
  .ci/slapd-up
  [ -n "$(jar)" ] || ./mvnw -q -B -ntp -DskipTests package
  local first=1
  for port in "${ports[@]}"; do
    start_node "$port"
    # the first node creates the engine's tables; the others start once it is ready
    [ "$first" = 1 ] && { wait_ready "$port"; first=0; }
  done
  for port in "${ports[@]}"; do wait_ready "$port"; done
}

start_node() {
  local port=$1
  if [ -s "$state/node-$port.pid" ] && kill -0 "$(cat "$state/node-$port.pid")" 2>/dev/null; then
    echo "node on $port already running"; return
  fi
  (
    set -a
    # shellcheck disable=SC1091
    . "$state/audit-keys.env"
    set +a
    export SPRING_PROFILES_ACTIVE=prod
    export SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/portcullis
    export SPRING_DATASOURCE_USERNAME=portcullis
    SPRING_DATASOURCE_PASSWORD=$(cat "$state/db-password"); export SPRING_DATASOURCE_PASSWORD
    export SPRING_LDAP_URLS=ldap://127.0.0.1:389
    export SPRING_LDAP_USERNAME=cn=admin,dc=portcullis,dc=demo
    export SPRING_LDAP_PASSWORD=admin-demo
    export PORTCULLIS_REQUESTS_MIN_DURATION=${PORTCULLIS_REQUESTS_MIN_DURATION:-PT1M}
    exec java ${JAVA_OPTS:--Xmx512m} -jar "$(jar)" --server.port="$port" \
      --spring.config.additional-location=file:docker/demo-organisation.yml
  ) > "$state/node-$port.log" 2>&1 &
  echo $! > "$state/node-$port.pid"
  echo "node on $port: pid $(cat "$state/node-$port.pid"), log $state/node-$port.log"
}

wait_ready() {
  local port=$1 deadline=$(( $(date +%s) + ${READY_TIMEOUT:-300} ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/actuator/health/readiness")" = 200 ]; do
    if ! kill -0 "$(cat "$state/node-$port.pid")" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "node on $port did not become ready; the end of its log:" >&2
      tail -40 "$state/node-$port.log" >&2
      return 1
    fi
    sleep 1
  done
  echo "node on $port ready"
}

down() {
  for pidfile in "$state"/node-*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"   # SIGTERM: a graceful shutdown, running jobs finish
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
  done
  echo "nodes stopped"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  check)
    shift
    ports=("$@"); [ ${#ports[@]} -gt 0 ] || ports=(8383 8384)
    trap down EXIT
    FRESH_DATABASE=1 PORTCULLIS_REQUESTS_MIN_DURATION=PT5S up "${ports[@]}"
    # the prod profile logs one JSON object per line
    grep -m1 '"log":{"level":' "$state/node-${ports[0]}.log" | grep -q '^{"@timestamp":' \
      || { echo "node log is not JSON lines" >&2; exit 1; }
    echo "ok   the prod profile logs JSON lines (ECS)"
    docker/walkthrough.sh "http://127.0.0.1:${ports[0]}" "http://127.0.0.1:${ports[${#ports[@]}-1]}" ldap://127.0.0.1:389
    ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
