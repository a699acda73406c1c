#!/usr/bin/env bash
# Compile time against input size: compiles generated documents of 1, 2, 4, 8 and 16 MB (many
# sections; one element with very many attributes) with a release build and prints the time per
# MB, which must not rise with the size.
#
# Usage: bench/scale.sh
#
# Environment:
#   LETTERPRESS_SCALE_MB    the sizes in MB, comma-separated (default 1,2,4,8,16)
#   LETTERPRESS_SCALE_RUNS  compiles per size, the fastest shown (default 3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

case "${1:-}" in
  -h | --help) sed -n '6,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) echo "bench: unknown argument \`$1\`" >&2; exit 2 ;;
esac

cd "$root"
cargo bench --quiet -p letterpress-core --bench scale
