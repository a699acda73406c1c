#!/usr/bin/env bash
# Checks the installable package: builds the .deb of the debug build with the packaging script,
# unpacks it into a fresh root (as `dpkg -x` does for an install, without touching this system),
# checks what it holds and what it depends on, and starts what it installed: the `letterpress`
# command compiles a template, and the desktop app comes up through its launcher and keeps
# running. Prints `package: N passed, M failed`.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "package: FAILED: $name" >&2
  fi
}

"$root/scripts/package.sh" --debug >&2 || { echo "package: 0 passed, 1 failed"; exit 1; }
deb="$(ls -t "$root"/target/debug/bundle/deb/*.deb | head -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fresh="$work/root"
dpkg-deb -x "$deb" "$fresh"

check "the app, its launcher and the command are installed" \
  test -x "$fresh/usr/bin/letterpress-app" -a -x "$fresh/usr/bin/letterpress-desktop" -a -x "$fresh/usr/bin/letterpress"
desktop="$fresh/usr/share/applications/Letterpress.desktop"
check "a desktop entry starts the launcher" grep -qx 'Exec=letterpress-desktop %F' "$desktop"
check "the desktop entry names its icon" grep -qx 'Icon=letterpress-app' "$desktop"
check "the icon is installed" test -s "$fresh/usr/share/icons/hicolor/256x256/apps/letterpress-app.png"

# Every package the .deb depends on is one this system has, and every library the app links
# against is found: what `apt install ./Letterpress.deb` would need is declared.
depends="$(dpkg-deb -f "$deb" Depends)"
all_installed() {
  local dependency
  for dependency in $(echo "$depends" | tr ',' '\n' | sed 's/(.*)//; s/|.*//'); do
    dpkg -s "$dependency" >/dev/null 2>&1 || { echo "not installed: $dependency" >&2; return 1; }
  done
}
check "the declared dependencies are installed packages ($depends)" all_installed
check "every library of the app is found" bash -c "! ldd '$fresh/usr/bin/letterpress-app' | grep -q 'not found'"

# The installed command works on its own.
check "the installed command prints its version" "$fresh/usr/bin/letterpress" --version
printf '<mjml><mj-body><mj-section><mj-column><mj-text>Packaged</mj-text></mj-column></mj-section></mj-body></mjml>\n' >"$work/mail.mjml"
check "the installed command compiles a template" bash -c "'$fresh/usr/bin/letterpress' compile -s '$work/mail.mjml' | grep -q Packaged"

# The installed app starts through its launcher and is still running five seconds later.
starts() {
  mkdir -p "$work/home"
  HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" XDG_CACHE_HOME="$work/home/cache" \
    xvfb-run -a "$fresh/usr/bin/letterpress-desktop" "$root/templates" >"$work/app.log" 2>&1 &
  local runner=$!
  sleep 5
  local running=1
  pgrep -f "$fresh/usr/bin/letterpress-app" >/dev/null || running=0
  pkill -f "$fresh/usr/bin/letterpress-app" 2>/dev/null
  wait "$runner" 2>/dev/null
  if [ "$running" -eq 0 ] || grep -q "panicked" "$work/app.log"; then
    cat "$work/app.log" >&2
    return 1
  fi
}
check "the installed app starts through its launcher" starts

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
