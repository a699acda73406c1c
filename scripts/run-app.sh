#!/usr/bin/env bash
# Builds the Letterpress desktop app (debug) and starts it on the bundled `templates/` project, or
# on the project folder given as the first argument or in `LETTERPRESS_PROJECT`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=app-deps.sh
source "$root/scripts/app-deps.sh"

app_deps_install
app_build "$root"

project="${1:-${LETTERPRESS_PROJECT:-$root/templates}}"
if [ ! -d "$project" ]; then
  echo "note: \`$project\` does not exist; the app opens on its welcome screen" >&2
fi
# Test messages go to the built-in local outbox by default, which needs no server; SMTP profiles
# are set up in the app.

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "error: no display; run this from a desktop session, or under \`xvfb-run -a\`" >&2
  exit 1
fi
# Without a GPU render node, WebKitGTK's DMA-BUF renderer falls back to a slow path (a large email
# took about 450 ms to paint instead of 70 ms); its older renderer is used there instead.
if [ -z "${WEBKIT_DISABLE_DMABUF_RENDERER+set}" ] && ! ls /dev/dri/renderD* >/dev/null 2>&1; then
  export WEBKIT_DISABLE_DMABUF_RENDERER=1
fi
cd "$root"
exec "$root/target/debug/letterpress-app" "$project"
