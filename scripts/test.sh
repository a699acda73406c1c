#!/usr/bin/env bash
# Runs every test of the project: formatting and lints, the Rust test suites (core, CLI, mail and
# history against a real SMTP server), the fidelity comparison against the reference `mjml`
# compiler, and the desktop app's end-to-end tests. Installs what it needs on a fresh
# Debian/Ubuntu machine. Prints one closing line: `tests: N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
step() {
  local name=$1
  shift
  echo "==> $name" >&2
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "==> $name FAILED" >&2
  fi
}

scripts/ensure-packages.sh build-essential pkg-config libssl-dev curl ca-certificates python3 python3-pip || exit 1
command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)" >&2; exit 1; }

step "rustfmt" cargo fmt --all --check
step "clippy" cargo clippy --all-targets --locked -- -D warnings
step "rust tests" cargo test --locked
# The interface's unit tests need neither the app nor a display.
step "interface unit tests" scripts/ui-check.sh unit
step "interface types, format and lints" scripts/ui-check.sh lint
# The fill engine against the real handlebars.js: the committed reference outputs are what the
# pinned npm package gives, and whole projects filled both ways are the same bytes.
step "handlebars.js differential" tests/handlebars/run.sh
step "contrast against Chromium" tests/contrast/run.sh
# Real `mjml` command lines run with the npm package and with `letterpress compile` in its place.
step "mjml drop-in" tests/dropin/run.sh
[ -x fidelity/run.sh ] && step "fidelity" fidelity/run.sh fidelity/fixtures $( [ -d ../shared/corpus/mjml-email-templates ] && echo ../shared/corpus/mjml-email-templates )
[ -x tests/e2e/run.sh ] && step "desktop end-to-end" tests/e2e/run.sh
[ -x tests/package/run.sh ] && step "installable package" tests/package/run.sh
# The app crate is outside the default members (it needs WebKit and the built UI); the
# end-to-end step above installed and built both, so it is linted here.
[ -d ui/dist ] && step "clippy (app)" cargo clippy -p letterpress-app --all-targets --locked -- -D warnings
# Its unit tests, among them the check that ui/src/bindings/ matches the Rust types.
[ -d ui/dist ] && step "app tests" cargo test -p letterpress-app --locked

echo
for name in "${failures[@]}"; do echo "failed: $name" >&2; done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
