#!/usr/bin/env bash
# Compile time against input size: compiles generated documents of 1, 2, 4, 8 and 16 MB (many
# sections; one element with very many attributes) with a release build, in process and with the
# `letterpress compile` command, and prints the time per MB, which must not rise with the size.
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
target="${CARGO_TARGET_DIR:-$root/target}"
echo "In process (the fastest of several compiles in one process):"
echo
cargo bench --quiet -p letterpress-core --bench scale

# The same documents compiled by the command, each in a process of its own, as a build runs it.
# In one process, the buffers of a small document are kept by the allocator and reused by the
# next compile, while those of a large one (above 32 MB, glibc's limit) go back to the system
# and are faulted in again each time; a process of its own starts every size from nothing.
cargo build --quiet --release -p letterpress-cli
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
LETTERPRESS_SCALE_WRITE="$work" cargo bench --quiet -p letterpress-core --bench scale
IFS=, read -r -a sizes <<< "${LETTERPRESS_SCALE_MB:-1,2,4,8,16}"
runs="${LETTERPRESS_SCALE_RUNS:-3}"
echo
echo "Whole command (\`letterpress compile FILE > /dev/null\`, the fastest of $runs runs; warnings not printed):"
echo
echo "| document | MB | command | per MB | per MB / per MB at the smallest size |"
echo "|---|---:|---:|---:|---:|"
shape=0
for name in "many sections" "one element, many attributes"; do
  shape=$((shape + 1))
  base=""
  for mb in "${sizes[@]}"; do
    file="$work/$shape-$mb.mjml"
    best=""
    for ((run = 0; run < runs; run++)); do
      start=$(date +%s%N)
      "$target/release/letterpress" compile "$file" --config.validationLevel skip > /dev/null
      elapsed=$(( $(date +%s%N) - start ))
      if [[ -z "$best" || $elapsed -lt $best ]]; then best=$elapsed; fi
    done
    bytes=$(stat -c %s "$file")
    awk -v name="$name" -v mb="$mb" -v ns="$best" -v bytes="$bytes" -v base="$base" 'BEGIN {
      per = ns / 1e6 * 1048576 / bytes
      if (base == "") base = per
      printf "| %s | %s | %.0f ms | %.1f ms | %.2f |\n", name, mb, ns / 1e6, per, per / base
    }'
    if [[ -z "$base" ]]; then
      base=$(awk -v ns="$best" -v bytes="$bytes" 'BEGIN { printf "%.6f", ns / 1e6 * 1048576 / bytes }')
    fi
  done
done
