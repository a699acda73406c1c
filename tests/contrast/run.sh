#!/usr/bin/env bash
# Compares the colours the contrast check computes with Chromium's, for every bundled template
# rendered with each of its data sets and for the fixtures in this folder. Exits non-zero on any
# difference (foreground or background more than 1/255 apart, or an element shown on one side
# only).
#
#   tests/contrast/run.sh            # CHROMIUM=/path/to/chromium to use another browser
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then
  "$root/scripts/ensure-packages.sh" chromium || {
    echo "Chromium is needed: install it (apt-get install chromium) or set CHROMIUM" >&2
    exit 2
  }
  CHROMIUM="$(command -v chromium)"
fi

"$root/scripts/ensure-node-modules.sh" "$here"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build -q -p letterpress-cli
for template in templates/*/; do
  template="$(basename "$template")"
  [ -f "templates/$template/template.mjml" ] || continue
  for data in templates/"$template"/data/*.json; do
    data="$(basename "$data" .json)"
    cargo run -q -p letterpress-cli -- render "$template" --project templates --data "$data" > "$work/$template.$data.html"
  done
done

node "$here/colours.mjs" "$work/chromium.json" "$work"/*.html "$here"/fixtures/*.html
CONTRAST_REFERENCE="$work/chromium.json" cargo test -q -p letterpress-core --lib \
  checks::contrast::tests::chromium_computes_the_same_colours -- --ignored --nocapture
