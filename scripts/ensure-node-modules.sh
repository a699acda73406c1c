#!/usr/bin/env bash
# Installs the npm packages a folder's lock file pins (`npm ci`), when its `node_modules` is
# missing or older than the lock file. Keeps repeated runs fast: npm is only run when the
# installed packages are not the locked ones.
#
# Usage: scripts/ensure-node-modules.sh DIR
set -euo pipefail
dir="${1:?usage: ensure-node-modules.sh DIR}"
installed="$dir/node_modules/.package-lock.json"
if [[ -f "$installed" && ! "$dir/package-lock.json" -nt "$installed" ]]; then
  exit 0
fi
echo "installing the node packages of \`$(basename "$dir")\`" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
