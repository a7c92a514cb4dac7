#!/usr/bin/env bash
# Installs what scripts/chart-e2e.sh needs from Debian's packages when it is missing: podman and runc (run the
# image as a kubelet would, without a daemon), mmdebstrap (builds the JRE base image's root file system from
# Debian packages, since no image registry is reachable), prometheus (scrapes the containers and evaluates the
# adapter rule and the dashboard queries), uidmap/fuse-overlayfs/slirp4netns (podman's usual companions) and
# curl/jq/python3 for the checks. Idempotent: a machine that has them all installs nothing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have podman || need+=(podman)
have runc || need+=(runc)
have mmdebstrap || need+=(mmdebstrap)
have prometheus || need+=(prometheus)
have curl || need+=(curl)
have jq || need+=(jq)
have python3 || need+=(python3)
have newuidmap || need+=(uidmap)
have fuse-overlayfs || need+=(fuse-overlayfs)
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-e2e-tools: everything is installed"
  exit 0
fi
echo "install-e2e-tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# --no-install-recommends: prometheus would otherwise pull in its node exporter and a web UI's assets we do
# not use, podman its docker-compat and a CNI stack (we run with --network host).
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-e2e-tools: done"
