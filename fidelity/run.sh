#!/usr/bin/env bash
# Compares `letterpress compile` with the reference `mjml` compiler on every `*.mjml` file of the
# given folders, as HTML and as pixels rendered by headless Chromium. Writes `fidelity/RESULTS.md`
# and exits 1 when a template got worse than `fidelity/baseline.json` records; `--update` records
# the current state as the new baseline instead.
#
# Usage: fidelity/run.sh [--update] [DIR...]
#   DIR defaults to `fidelity/fixtures` and, when it exists, `../shared/corpus/mjml-email-templates`
#   (relative to the repository root).
#
# Environment:
#   LETTERPRESS_BIN  the `letterpress` binary to test; default `target/debug/letterpress`, built
#                    with `cargo build -p letterpress-cli` first
#   CHROMIUM_BIN     the Chromium binary; default `/usr/bin/chromium`
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

usage() {
  sed -n '7,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

update=()
dirs=()
for arg in "$@"; do
  case "$arg" in
    --update) update=(--update) ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "fidelity: unknown option \`$arg\`" >&2; usage >&2; exit 2 ;;
    *)
      if [[ ! -d "$arg" ]]; then
        echo "fidelity: \`$arg\` is not a folder" >&2
        exit 2
      fi
      dirs+=("$(cd "$arg" && pwd)")
      ;;
  esac
done
if [[ ${#dirs[@]} -eq 0 ]]; then
  dirs=("$here/fixtures")
  corpus="$root/../shared/corpus/mjml-email-templates"
  if [[ -d "$corpus" ]]; then
    dirs+=("$(cd "$corpus" && pwd)")
  else
    echo "fidelity: no corpus at \`../shared/corpus/mjml-email-templates\`; checking the fixtures only"
  fi
fi

# System packages: Chromium to render, and fonts so that text looks the same on every machine
# (Liberation matches the metrics of Arial, Helvetica and Times New Roman, which templates ask for).
needed=(chromium fonts-liberation2 fonts-dejavu-core)
command -v node > /dev/null || needed+=(nodejs)
command -v npm > /dev/null || needed+=(npm)
"$root/scripts/ensure-packages.sh" "${needed[@]}" || exit 2

# Node packages, pinned by the lock file. npm skips install scripts, so nothing downloads a
# browser: Playwright drives the system Chromium.
"$root/scripts/ensure-node-modules.sh" "$here"

# The binary under test. Without an explicit one, build the debug binary so that the comparison
# never runs against a stale build; when it is up to date this takes a second.
if [[ -n "${LETTERPRESS_BIN:-}" ]]; then
  bin="$LETTERPRESS_BIN"
else
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/letterpress"
  echo "fidelity: building \`letterpress\`"
  (cd "$root" && cargo build --quiet -p letterpress-cli)
fi
if [[ ! -x "$bin" ]]; then
  echo "fidelity: letterpress binary \`$bin\` not found" >&2
  exit 2
fi

exec node "$here/compare.mjs" --bin "$bin" "${update[@]}" "${dirs[@]}"
