#!/usr/bin/env bash
# Installs the npm packages the tests drive (tests/src/test/node: the `eventsource` package, a WHATWG
# EventSource, for the browser-like SSE clients of the chaos and resume tests) from the lock file. Needs Node 20
# and the npm registry. Idempotent: nothing is fetched when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/src/test/node"
command -v node >/dev/null || { echo "install-node-deps: node is not installed (Node 20 is needed)" >&2; exit 1; }
stamp=node_modules/.eco2-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-node-deps: up to date"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "install-node-deps: installed $(node -e 'console.log(require("./node_modules/eventsource/package.json").version)' 2>/dev/null || echo '?') of eventsource"
