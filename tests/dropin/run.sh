#!/usr/bin/env bash
# Runs real `mjml` command lines (`tests/dropin/lines.txt`) with the `mjml` 5.4.1 npm package and
# with `letterpress compile` in its place, and fails when any line behaves differently: exit
# status, files written, or what the output shows.
#
# Environment:
#   LETTERPRESS_BIN  the binary to test; default: the debug build, built first
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="$root/../shared/corpus/mjml-email-templates"
if [[ ! -d "$corpus" ]]; then
  echo "dropin: skipped, no official templates at \`../shared/corpus/mjml-email-templates\`"
  exit 0
fi
"$root/scripts/ensure-node-modules.sh" "$here"
if [[ -n "${LETTERPRESS_BIN:-}" ]]; then
  bin="$LETTERPRESS_BIN"
else
  (cd "$root" && cargo build --quiet -p letterpress-cli)
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/letterpress"
fi
exec node "$here/run.mjs" "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$(cd "$corpus" && pwd)"
