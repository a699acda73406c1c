#!/usr/bin/env bash
# The stack mrml needs per level of nesting: for each element mrml lets nest, the smallest stack
# (to 16 KiB) on which a document nested 50 and 200 levels deep compiles, and the difference per
# level; then the same for content kept as written, which must cost nothing per level. Run it
# for the release build (default) or the debug one (`--debug`); `STACK_BASE` and
# `STACK_PER_LEVEL` in `crates/letterpress-core/src/compile/mod.rs` keep a margin above both.
#
# Usage: bench/stack-probe.sh [--debug]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$root/target}"
profile=release
flag=(--release)
case "${1:-}" in
  -h | --help) sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  --debug) profile=debug; flag=() ;;
  "") ;;
  *) echo "bench: unknown argument \`$1\`" >&2; exit 2 ;;
esac

(cd "$root" && cargo build --quiet "${flag[@]}" -p letterpress-core --example stack_probe)
probe="$target/$profile/examples/stack_probe"

# The smallest stack, within 16 KiB, on which the case compiles.
smallest() {
  local low=16384 high=$((256 * 1024 * 1024)) mid
  while ((high - low > 16384)); do
    mid=$(((low + high) / 2))
    if [[ "$("$probe" "$mid" "$@" 2> /dev/null | tail -n 1)" == "Some(true)" ]]; then high=$mid; else low=$mid; fi
  done
  echo "$high"
}

echo "| nesting ($profile) | 50 levels | 200 levels | per level |"
echo "|---|---:|---:|---:|"
for element in mj-wrapper mj-section mj-column mj-group mj-hero in:mj-text in:mj-raw in:mj-button; do
  shallow="$(smallest "$element" 50)"
  deep="$(smallest "$element" 200)"
  echo "| \`$element\` | $((shallow / 1024)) KiB | $((deep / 1024)) KiB | $(((deep - shallow) / 150)) B |"
done
