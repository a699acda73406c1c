#!/usr/bin/env bash
# Builds the installable Letterpress packages for Debian and Ubuntu: a .deb holding the desktop
# app (with its desktop entry, icon and launcher) and the `letterpress` command, and with
# `--appimage` an AppImage as well.
#
# Usage: scripts/package.sh [--debug] [--appimage]
#   --debug      package the debug build (quick; what the test command checks)
#   --appimage   also build an AppImage; Tauri's bundler downloads its linuxdeploy tools from
#                GitHub while building it, so this needs that network access
# The packages are written under target/{release,debug}/bundle/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=app-deps.sh
source "$root/scripts/app-deps.sh"

profile=release
bundles=deb
for arg in "$@"; do
  case "$arg" in
    --debug) profile=debug ;;
    --appimage) bundles=deb,appimage ;;
    *) echo "usage: scripts/package.sh [--debug] [--appimage]" >&2; exit 2 ;;
  esac
done

app_deps_install
cd "$root"
scripts/ensure-node-modules.sh ui
(cd ui && npm run build --silent)
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)
cargo build "${cargo_profile[@]}" -p letterpress-cli

# The command goes into the package beside the app; its path depends on the profile, so that part
# of the bundle settings is written here.
overrides="$(mktemp)"
trap 'rm -f "$overrides"' EXIT
cat >"$overrides" <<JSON
{ "bundle": { "linux": { "deb": { "files": {
  "/usr/bin/letterpress-desktop": "../scripts/launch-desktop.sh",
  "/usr/bin/letterpress": "../target/$profile/letterpress"
} } } } }
JSON

tauri_debug=()
[ "$profile" = debug ] && tauri_debug=(--debug)
ui/node_modules/.bin/tauri build "${tauri_debug[@]}" --bundles "$bundles" \
  --config src-tauri/tauri.bundle.json --config "$overrides"
ls -1 "$root/target/$profile/bundle/"*/* >&2
