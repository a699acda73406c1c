#!/usr/bin/env bash
# Kills `letterpress build` with SIGKILL at varied moments, many times over, and checks after
# each kill that the next build succeeds and gives exactly what a clean build gives, with no
# temporary file left and no manifest listing a missing file. Prints the figures at the end.
#
#   scripts/stress-build.sh [ROUNDS] [TEMPLATES]     (defaults: 100 rounds, 500 templates)
set -euo pipefail
cd "$(dirname "$0")/.."
export LETTERPRESS_STRESS_ROUNDS="${1:-100}"
export LETTERPRESS_STRESS_TEMPLATES="${2:-500}"
cargo test --release -p letterpress-cli --test it stress:: -- --nocapture 2>&1 | grep -E '^stress:|^test |panicked|FAILED'
