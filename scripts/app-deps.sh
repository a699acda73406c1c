# Installs what building and running the desktop app needs on Debian or Ubuntu: the Tauri system
# libraries, and with `--e2e` the headless display and WebDriver used by the end-to-end tests.
# Sourced by `scripts/run-app.sh` and `tests/e2e/run.sh`; only what `dpkg -s` reports missing is
# installed, so repeated runs are quick.

app_deps_install() {
  local packages=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev pkg-config)
  if [ "${1:-}" = "--e2e" ]; then
    packages+=(xvfb xauth dbus-x11 webkit2gtk-driver imagemagick)
  fi
  "$(dirname "${BASH_SOURCE[0]}")/ensure-packages.sh" "${packages[@]}" || return 1
  if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed; install Rust 1.90 or newer from rustup" >&2
    return 1
  fi
  if ! command -v node >/dev/null 2>&1 || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "error: Node.js 20.19 or newer is needed to build the interface" >&2
    return 1
  fi
}

# Builds the interface and then the debug app, which embeds it.
app_build() {
  local root="$1"
  "$root/scripts/ensure-node-modules.sh" "$root/ui" || return 1
  (cd "$root/ui" && npm run build --silent)
  (cd "$root" && cargo build -p letterpress-app)
}
