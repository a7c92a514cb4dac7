#!/usr/bin/env bash
# Builds the eco2-pipeline image from the Containerfile with podman (or docker when podman is missing).
#   scripts/build-image.sh [--tag NAME:TAG] [--base IMAGE] [--no-jar] [-- extra build args]
# --base sets ARG BASE_IMAGE (default eclipse-temurin:17-jre; scripts/build-jre-base.sh builds one from
# Debian packages). The fat jar is built first unless --no-jar is given (it must then exist).
# Builds with --network host: nothing is fetched while building, and no bridge network is created.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG="eco2-pipeline:$(mvn -q -o help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo dev)"
BASE=""
BUILD_JAR=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG="$2"; shift 2 ;;
    --base) BASE="$2"; shift 2 ;;
    --no-jar) BUILD_JAR=0; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if command -v podman >/dev/null 2>&1; then ENGINE=podman
elif command -v docker >/dev/null 2>&1; then ENGINE=docker
else echo "build-image: neither podman nor docker is installed (scripts/install-e2e-tools.sh installs podman)" >&2; exit 1
fi

if [ "$BUILD_JAR" = 1 ]; then
  mvn -B -ntp -q package -DskipTests -pl stages -am
fi
[ -s stages/target/eco2-pipeline.jar ] || { echo "build-image: stages/target/eco2-pipeline.jar is missing" >&2; exit 1; }

args=(--network host -f Containerfile -t "$TAG"
  --build-arg "REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  --build-arg "CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
[ -n "$BASE" ] && args+=(--build-arg "BASE_IMAGE=$BASE")
# docker's default (OCI) format drops HEALTHCHECK for podman: ask for the docker format, which keeps it.
[ "$ENGINE" = podman ] && args+=(--format docker)
"$ENGINE" build "${args[@]}" "$@" .
echo "build-image: built $TAG with $ENGINE"
