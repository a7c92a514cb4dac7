#!/usr/bin/env bash
# Installs the headless browser the UI tests drive: Debian's chromium and its chromedriver (both from the
# distribution's packages; nothing is downloaded by Selenium itself). Idempotent: does nothing when both
# are already on the PATH. Needs root (CI and the dev machines run as root) or sudo.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have chromium && have chromedriver; then
  echo "install-browser: $(chromium --version 2>/dev/null | head -1) and chromedriver already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  have sudo || { echo "install-browser: need root or sudo to apt-get install chromium chromium-driver" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# apt's own lock makes concurrent runs (two test JVMs) wait instead of failing.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
echo "install-browser: installed $(chromium --version 2>/dev/null | head -1)"
