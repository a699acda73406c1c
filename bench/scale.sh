#!/usr/bin/env bash
# Compile time against input size: compiles generated documents of 1, 2, 4, 8 and 16 MB (many
# sections; one element with very many attributes) with a release build, in process and with the
# `letterpress compile` command, and prints the time per MB, which must not rise with the size.
#
# Usage: bench/scale.sh
#
# Environment:
#   LETTERPRESS_SCALE_MB    the sizes in MB, comma-separated (default 1,2,4,8,16)
#   LETTERPRESS_SCALE_RUNS  rounds of one compile of each size, the fastest shown (default 10)
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
echo "In process (rounds of one compile of each size in one process; the fastest of each size):"
echo
# glibc hands a buffer above 32 MB back to the system when it is freed, so that in one process
# the next compile of a large document faults its pages in again while a small one's are reused.
# Keeping every buffer in the heap gives all sizes the same reuse; the command below starts
# every size from nothing instead.
GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295 \
  cargo bench --quiet -p letterpress-core --bench scale

# The same documents compiled by the command, each run a process of its own, as a build runs it.
cargo build --quiet --release -p letterpress-cli
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
LETTERPRESS_SCALE_WRITE="$work" cargo bench --quiet -p letterpress-core --bench scale
IFS=, read -r -a sizes <<< "${LETTERPRESS_SCALE_MB:-1,2,4,8,16}"
runs="${LETTERPRESS_SCALE_RUNS:-10}"
echo
echo "Whole command (\`letterpress compile FILE > /dev/null\`, $runs rounds of one run of each size; the"
echo "fastest of each size; warnings not printed):"
echo
echo "| document | MB | command | per MB | per MB / per MB at the smallest size |"
echo "|---|---:|---:|---:|---:|"
shape=0
for name in "many sections" "one element, many attributes"; do
  shape=$((shape + 1))
  best=()
  # The sizes take turns, so that a slow spell of the machine falls on all of them alike.
  for ((run = 0; run < runs; run++)); do
    for i in "${!sizes[@]}"; do
      start=$(date +%s%N)
      "$target/release/letterpress" compile "$work/$shape-${sizes[$i]}.mjml" \
        --config.validationLevel skip > /dev/null
      elapsed=$(( $(date +%s%N) - start ))
      if [[ -z "${best[$i]:-}" || $elapsed -lt ${best[$i]} ]]; then best[$i]=$elapsed; fi
    done
  done
  base=""
  for i in "${!sizes[@]}"; do
    file="$work/$shape-${sizes[$i]}.mjml"
    bytes=$(stat -c %s "$file")
    per=$(awk -v ns="${best[$i]}" -v bytes="$bytes" 'BEGIN { printf "%.6f", ns / 1e6 * 1048576 / bytes }')
    base="${base:-$per}"
    awk -v name="$name" -v mb="${sizes[$i]}" -v ns="${best[$i]}" -v per="$per" -v base="$base" 'BEGIN {
      printf "| %s | %s | %.0f ms | %.1f ms | %.2f |\n", name, mb, ns / 1e6, per, per / base
    }'
  done
done
