#!/usr/bin/env bash
# Checks the fill engine against handlebars.js: the committed reference outputs, then whole projects.
#
# Usage: tests/handlebars/run.sh [BIN]
# BIN is the letterpress binary; it defaults to the debug build in the cargo target folder.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root" || exit 2

# The default follows CARGO_TARGET_DIR, as cargo itself does, so a shared target folder works.
bin="${1:-${CARGO_TARGET_DIR:-target}/debug/letterpress}"

# The reference must come from the pinned handlebars, so install exactly what the lock file says.
"$root/scripts/ensure-node-modules.sh" "$here" || exit 2

status=0
# Proves that reference.json is what handlebars.js really gives for every case.
(cd "$here" && node reference.mjs --check) || status=1
# Compares the bundled example project and the fixture project, template by template.
node "$here/project-diff.mjs" "$bin" templates tests/handlebars/project || status=1
exit "$status"
