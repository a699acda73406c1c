#!/usr/bin/env bash
# Writes ui/src/bindings/, the TypeScript declarations of every type the desktop app sends to its
# window or takes from it, from the Rust types (ts-rs; see src-tauri/src/bindings.rs). Run it
# after changing one of those types and commit the result: `cargo test -p letterpress-app` fails
# while the committed files differ from what the types give.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The app crate embeds the built interface, so it needs one to compile, even an outdated one.
if [ ! -d ui/dist ]; then
  scripts/ensure-node-modules.sh ui
  (cd ui && npx vite build --logLevel error)
fi
LETTERPRESS_BLESS=1 cargo test --locked -p letterpress-app bindings_match_the_rust_types
