#!/usr/bin/env bash
# Times the whole `letterpress render` and `letterpress compile` commands (release build) on the
# largest official template, `ugg-royale`, and on the bundled `password-reset`, with hyperfine.
# `render` compiles, fills and runs every inbox check; `compile` only compiles.
#
# Usage: bench/render.sh [RUNS]   (default 20 runs each, after 3 warm-up runs)
#
# Environment:
#   LETTERPRESS_CORPUS  the folder of official templates (default ../shared/corpus/mjml-email-templates)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
corpus="${LETTERPRESS_CORPUS:-$root/../shared/corpus/mjml-email-templates}"
command -v hyperfine > /dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -f "$corpus/ugg-royale.mjml" ] || { echo "bench: no ugg-royale.mjml in $corpus" >&2; exit 1; }

cargo build --quiet --release --locked -p letterpress-cli --manifest-path "$root/Cargo.toml" >&2
bin="${CARGO_TARGET_DIR:-$root/target}/release/letterpress"

# A copy of the bundled project with ugg-royale added as a template of its own.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/templates" "$work/project"
mkdir -p "$work/project/ugg-royale/data"
cp "$corpus/ugg-royale.mjml" "$work/project/ugg-royale/template.mjml"
echo '{}' > "$work/project/ugg-royale/data/default.json"
echo 'UGG Royale' > "$work/project/ugg-royale/subject.hbs"

q() { printf '%q' "$1"; }
hyperfine --warmup 3 --runs "$runs" --style basic --export-markdown "$work/render.md" \
  --command-name "render ugg-royale" "$(q "$bin") render ugg-royale --project $(q "$work/project") > /dev/null" \
  --command-name "compile ugg-royale" "$(q "$bin") compile $(q "$work/project/ugg-royale/template.mjml") > /dev/null" \
  --command-name "render password-reset" "$(q "$bin") render password-reset --project $(q "$work/project") > /dev/null" \
  >&2
cat "$work/render.md"
