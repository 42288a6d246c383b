#!/usr/bin/env bash
# Checks docker/ as far as a machine without a Docker engine allows: the compose file resolves
# (docker-compose config, Debian's docker-compose) and refuses to start without a database password;
# both Dockerfiles pass dockerfilelint (npm); the shell scripts pass shellcheck; the OpenLDAP image's
# seeding step leaves exactly the base entry out of the demo LDIF.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v docker-compose >/dev/null 2>&1 || ! command -v shellcheck >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose shellcheck >/dev/null
fi

cp compose.yaml "$tmp/"
java ../tools/GenerateAuditKeys.java > "$tmp/audit-keys.env"
POSTGRES_PASSWORD=check-only docker-compose -f "$tmp/compose.yaml" config > "$tmp/resolved.yaml"
for service in postgres openldap portcullis-1 portcullis-2; do
  grep -q "^  $service:" "$tmp/resolved.yaml" || { echo "compose: no service $service" >&2; exit 1; }
done
grep -q "SPRING_PROFILES_ACTIVE: prod" "$tmp/resolved.yaml" || { echo "compose: nodes not on the prod profile" >&2; exit 1; }
echo "compose.yaml: resolves, four services, the nodes on the prod profile"
POSTGRES_PASSWORD=check-only KEYCLOAK_ADMIN_PASSWORD=check-only docker-compose -f "$tmp/compose.yaml" --profile keycloak \
  config > "$tmp/with-keycloak.yaml"
# Debian's docker-compose 1.29 lists every service in config; the profile is what keeps keycloak out of a plain up
awk '/^  keycloak:/{k=1; next} /^  [a-z]/{k=0} k && /^    profiles:/{p=1; next} k && p && /^    - keycloak$/{found=1} END{exit !found}' \
  "$tmp/with-keycloak.yaml" || { echo "compose: keycloak is not a service of the keycloak profile only" >&2; exit 1; }
grep -q "KC_BOOTSTRAP_ADMIN_PASSWORD: check-only" "$tmp/with-keycloak.yaml" \
  || { echo "compose: keycloak's admin password is not KEYCLOAK_ADMIN_PASSWORD" >&2; exit 1; }
echo "compose.yaml: the keycloak profile adds Keycloak, its admin password from KEYCLOAK_ADMIN_PASSWORD"
if env -u POSTGRES_PASSWORD docker-compose -f "$tmp/compose.yaml" config > /dev/null 2> "$tmp/err"; then
  echo "compose: started without POSTGRES_PASSWORD" >&2; exit 1
fi
grep -q "POSTGRES_PASSWORD" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
echo "compose.yaml: refuses to start without POSTGRES_PASSWORD"

npx --yes dockerfilelint@1.8.0 Dockerfile openldap.Dockerfile
shellcheck -S warning ../.ci/run ../.ci/postgres-up ../.ci/slapd-up ../.ci/slapd-access-check run-by-hand.sh walkthrough.sh pg-target-init.sh \
  directory-hangs.sh check-files.sh ../operaton/build.sh ../operaton/takeover.sh
echo "shellcheck: no warnings"

awk 'BEGIN{RS=""; ORS="\n\n"} !/^dn: dc=portcullis,dc=demo\n/' ../src/main/resources/demo/organisation.ldif > "$tmp/seed.ldif"
all=$(grep -c '^dn:' ../src/main/resources/demo/organisation.ldif)
seeded=$(grep -c '^dn:' "$tmp/seed.ldif")
[ "$seeded" -eq $((all - 1)) ] && ! grep -q '^dn: dc=portcullis,dc=demo$' "$tmp/seed.ldif" \
  || { echo "openldap.Dockerfile: the seed is not the LDIF less its base entry" >&2; exit 1; }
echo "openldap.Dockerfile: seeds $seeded entries (the LDIF less the base entry the package makes)"
