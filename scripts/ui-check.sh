#!/usr/bin/env bash
# The interface's own checks, which need neither the app nor a display.
#
# Usage: scripts/ui-check.sh unit|lint
#   unit  the unit tests of ui/src (Vitest), ending with a line `ui unit: N passed, M failed`
#   lint  the types (tsc), then formatting and lints with Biome (`biome ci`, configured by
#         biome.jsonc) on ui/src and the end-to-end tests
#
# Installs the npm packages pinned by ui/package-lock.json when they are missing or out of date.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ui="$root/ui"

if ! command -v node >/dev/null 2>&1 || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "error: Node.js 20.19 or newer is needed to check the interface" >&2
  exit 1
fi
"$root/scripts/ensure-node-modules.sh" "$ui" || exit 1

case "${1:-}" in
  unit)
    results="$(mktemp -d)"
    trap 'rm -rf "$results"' EXIT
    (cd "$ui" && npx vitest run --reporter=default --reporter=json --outputFile.json="$results/unit.json")
    status=$?
    read -r passed failed < <(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTests ?? 0));
    ' "$results/unit.json" 2>/dev/null || echo "0 1")
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    echo "ui unit: $passed passed, $failed failed"
    [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
    ;;
  lint)
    status=0
    (cd "$ui" && npx tsc --noEmit) || status=1
    (cd "$root" && "$ui/node_modules/.bin/biome" ci --colors=off) || status=1
    exit "$status"
    ;;
  *)
    echo "usage: scripts/ui-check.sh unit|lint" >&2
    exit 2
    ;;
esac
