#!/usr/bin/env bash
# Portcullis on Operaton, by one switch: copies this tree to target/operaton/ (without target/ and .git),
# applies the project's OpenRewrite recipe there (operaton/rewrite.yml: Camunda 7.24 -> Operaton 1.0.3),
# adds the stand-ins of operaton/src/ and runs Maven there. The source of record stays on Camunda.
#   operaton/build.sh [MAVEN ARGS...]        default: verify
#   operaton/build.sh test -Dtest='JitAccessProcessTest'
#   operaton/build.sh -DskipTests package    the Operaton jar: target/operaton/target/portcullis-*.jar
#   OPERATON_FROM=HEAD operaton/build.sh ... the committed tree of a revision instead of the working tree
#   OPERATON_SKIP_MAVEN=1 operaton/build.sh  only make the copy (to look at it, or diff it with the source)
# The recipe runs with rewrite-maven-plugin offline (-o) when it is in ~/.m2 already (from Maven Central the
# first time); Maven in the copy runs online unless -o is among the arguments (Operaton's artifacts come from
# Maven Central the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
copy=target/operaton
rewrite_plugin=org.openrewrite.maven:rewrite-maven-plugin:6.24.0
offline=-o
[ -d "$HOME/.m2/repository/org/openrewrite/maven/rewrite-maven-plugin/6.24.0" ] || offline=
started=$(date +%s)

rm -rf "$copy"
mkdir -p "$copy"
if [ -n "${OPERATON_FROM:-}" ]; then
  git archive --format=tar "$OPERATON_FROM" | tar -xf - -C "$copy"
else
  tar --exclude=./target --exclude=./.git --exclude=./node_modules -cf - . | tar -xf - -C "$copy"
fi

# a repository of its own: OpenRewrite skips files that the nearest git repository ignores, and in a clone
# of the source that is the source's, whose .gitignore ignores target/ (every YAML file was left unchanged)
git -C "$copy" init -q
echo "== the recipe (operaton/rewrite.yml) on $copy"
(cd "$copy" && ./mvnw -B -ntp $offline -q "$rewrite_plugin:run" \
  -Drewrite.configLocation="$root/operaton/rewrite.yml" \
  -Drewrite.activeRecipes=io.portcullis.operaton.Switch \
  -Drewrite.exportDatatables=false)
# the stand-ins where Operaton serves no artifact here (written on Operaton's API: copied after the recipe)
cp -r operaton/src/. "$copy/src/"

# nothing of Camunda's packages or artifacts may be left (the camunda: namespace of the models stays); FEEL
# (org.camunda.feel:feel-engine) is the FEEL library both engines take, Operaton 1.0.3 too, and stays
camunda='org\.camunda\.bpm|<groupId>org\.camunda(\.(spin|commons|connect|community)[.a-z]*)?<'
left=$(grep -rlE "$camunda" "$copy/pom.xml" "$copy/src" || true)
if [ -n "$left" ]; then
  echo "operaton/build.sh: Camunda is still named in:" >&2
  grep -rnE "$camunda" "$copy/pom.xml" "$copy/src" | head -20 >&2
  exit 1
fi
(cd "$copy" && ./mvnw -B -ntp $offline -q spotless:apply)
echo "== the Operaton build is in $copy ($(( $(date +%s) - started )) s)"

[ "${OPERATON_SKIP_MAVEN:-0}" = 1 ] && exit 0
[ $# -gt 0 ] || set -- verify
cd "$copy"
exec ./mvnw -B -ntp "$@"
