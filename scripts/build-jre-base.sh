#!/usr/bin/env bash
# Builds a JRE 17 base image from Debian's packages (openjdk-17-jre-headless on bookworm) with mmdebstrap and
# imports it into podman as $1 (default localhost/eco2-jre-base:17-bookworm). For machines that reach Debian's
# package archive but no image registry: the Containerfile then builds with --build-arg BASE_IMAGE=<that tag>.
#
# The root file system is cached as a tarball under $ECO2_E2E_CACHE (default /var/cache/eco2-e2e), keyed by the
# package list and suite, so later runs only import it (seconds). Delete the cache to rebuild it.
set -euo pipefail

TAG="${1:-localhost/eco2-jre-base:17-bookworm}"
SUITE="${ECO2_BASE_SUITE:-bookworm}"
PACKAGES="openjdk-17-jre-headless,ca-certificates,curl"
CACHE="${ECO2_E2E_CACHE:-/var/cache/eco2-e2e}"
KEY=$(printf '%s %s' "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)
ROOTFS="$CACHE/jre-base-$SUITE-$KEY.tar"

mkdir -p "$CACHE"
if [ ! -s "$ROOTFS" ]; then
  echo "build-jre-base: building the root file system ($SUITE: $PACKAGES) with mmdebstrap"
  # variant essential: Debian's Essential packages plus the JRE's closure, no apt inside (a runtime image never
  # installs anything). force-unsafe-io: dpkg's per-file fsync made this take 20 minutes on a loaded disk; a
  # crash midway just leaves a .partial file to delete. Docs, man pages and locales are dropped, except the
  # man1 directory update-alternatives insists on while configuring the JRE.
  mmdebstrap --quiet --variant=essential --include="$PACKAGES" \
    --dpkgopt='force-unsafe-io' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" "$ROOTFS.partial.tar" /etc/apt/sources.list.d/debian.sources
  mv "$ROOTFS.partial.tar" "$ROOTFS"
else
  echo "build-jre-base: using the cached root file system $ROOTFS"
fi
podman import --quiet \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$ROOTFS" "$TAG" >/dev/null
echo "build-jre-base: imported $TAG"
