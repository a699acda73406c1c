#!/usr/bin/env bash
# Keystroke → painted preview in the real desktop app: builds the interface and the release app,
# then runs the end-to-end performance spec under Xvfb (method in tests/e2e/PERFORMANCE.md) and
# prints its figures. Needs what the end-to-end suite needs (`scripts/app-deps.sh` installs it);
# run it on an idle machine, since other work on the cores shows in every figure.
#
# Usage: bench/app-latency.sh [KEYSTROKES]   (default 40 per template)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keystrokes="${1:-40}"

"$root/scripts/ensure-node-modules.sh" "$root/ui"
(cd "$root/ui" && npm run --silent build) >&2
cargo build --quiet --release --locked -p letterpress-app --manifest-path "$root/Cargo.toml" >&2
app="${CARGO_TARGET_DIR:-$root/target}/release/letterpress-app"

cd "$root/tests/e2e"
[ -d node_modules ] || npm ci --silent >&2
LETTERPRESS_APP="$app" LETTERPRESS_PERF_KEYSTROKES="$keystrokes" \
  xvfb-run -a -s "-screen 0 1600x1000x24" node --test --test-concurrency=1 specs/performance.test.mjs
echo "figures written to tests/e2e/results/performance.json" >&2
