#!/usr/bin/env bash
# Regenerates the reference outputs of the compat tests: what the pinned `mjml` npm package
# writes for each `crates/letterpress-core/tests/compat/*.mjml`, stored beside it as
# `<name>.mjml.html` (see scripts/compat-mjml.mjs). Installs the package into bench/ first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/ensure-node-modules.sh" "$root/bench"
node "$root/scripts/compat-mjml.mjs"
