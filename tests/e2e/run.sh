#!/usr/bin/env bash
# Builds the interface and the debug app and runs the end-to-end tests of the real app under a
# virtual display; the interface's unit tests are `scripts/ui-check.sh unit`. Installs what it needs on a fresh Debian or Ubuntu
# machine (run as root there). Exits non-zero on any failure; the last line sums up the run.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
e2e="$root/tests/e2e"
results="$e2e/results"
# shellcheck source=../../scripts/app-deps.sh
source "$root/scripts/app-deps.sh"

fail() {
  echo "error: $1" >&2
  echo "e2e: 0 passed, 1 failed"
  exit 1
}

app_deps_install --e2e || fail "cannot install the system packages"
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked || fail "cannot install tauri-driver"
fi
app_build "$root" || fail "the app does not build"
"$root/scripts/ensure-node-modules.sh" "$e2e" || fail "cannot install the test dependencies"
rm -rf "$results"
mkdir -p "$results"

echo "== end-to-end tests" >&2
cd "$e2e"
xvfb-run -a -s "-screen 0 1600x1000x24" \
  node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/e2e.tap" \
  specs/
e2e_status=$?
passed=$(grep -E '^# pass ' "$results/e2e.tap" | awk '{print $3}')
failed=$(grep -E '^# fail ' "$results/e2e.tap" | awk '{print $3}')
passed=${passed:-0}
failed=${failed:-0}
if [ "$e2e_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "screenshots: $e2e/screenshots" >&2
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
