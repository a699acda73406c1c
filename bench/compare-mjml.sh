#!/usr/bin/env bash
# Compares Letterpress's speed with the reference `mjml` compiler on a folder of templates:
#   1. in process, per template: Letterpress's compile pipeline (the `corpus` criterion bench of
#      `letterpress-core`) against `mjml2html` (`bench/mjml-inprocess.mjs`);
#   2. whole process, all templates at once: `letterpress compile` (release build) against the
#      `mjml` command line, timed with hyperfine.
# Prints the results as markdown and writes the same text to `bench/RESULTS.md`.
#
# Usage: bench/compare-mjml.sh [DIR]
#   DIR defaults to `../shared/corpus/mjml-email-templates` (relative to the repository root).
#
# Environment:
#   BENCH_CRITERION_ARGS  extra arguments for criterion, e.g. `--measurement-time 5` (default: none,
#                         the bench's own settings)
#   BENCH_WARMUP_MS, BENCH_MEASURE_MS  warm-up and measuring time per template for mjml
#                                      (default 1000 and 3000)
#   BENCH_RUNS            measured runs of each command line (default 20)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$root/target}"

case "${1:-}" in
  -h | --help) sed -n '9,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  -*) echo "bench: unknown option \`$1\`" >&2; exit 2 ;;
esac
dir="${1:-$root/../shared/corpus/mjml-email-templates}"
if [[ ! -d "$dir" ]]; then
  echo "bench: \`$dir\` is not a folder" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"
shopt -s nullglob
files=("$dir"/*.mjml)
shopt -u nullglob
if [[ ${#files[@]} -eq 0 ]]; then
  echo "bench: \`$dir\` holds no \`.mjml\` file" >&2
  exit 2
fi
# How the folder is named in the report: relative to the repository root, as the README would.
shown_dir="$(realpath --relative-to="$root" "$dir")"

log() { echo "bench: $*" >&2; }

# What the comparison needs: hyperfine from Debian, mjml pinned by `bench/package-lock.json`.
needed=()
command -v hyperfine > /dev/null || needed+=(hyperfine)
command -v node > /dev/null || needed+=(nodejs)
command -v npm > /dev/null || needed+=(npm)
"$root/scripts/ensure-packages.sh" "${needed[@]}" || exit 2
"$root/scripts/ensure-node-modules.sh" "$here"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. In process, per template.
# Letterpress: criterion writes one estimate per template; old ones are removed first so that a
# template missing from this run cannot show a number from an earlier one.
have_bench=0
if [[ -f "$root/crates/letterpress-core/benches/corpus.rs" ]]; then
  have_bench=1
  rm -rf "$target/criterion/corpus" "$target/criterion/corpus-mrml"
  read -r -a criterion_args <<< "${BENCH_CRITERION_ARGS:-}"
  log "running \`cargo bench -p letterpress-core --bench corpus\`"
  (cd "$root" && LETTERPRESS_CORPUS="$dir" cargo bench --quiet -p letterpress-core --bench corpus -- "${criterion_args[@]}") >&2
else
  log "the \`corpus\` criterion bench of \`letterpress-core\` does not exist yet; Letterpress's in-process times are left out"
fi

log "timing \`mjml2html\` in process"
node "$here/mjml-inprocess.mjs" "$dir" > "$work/mjml.json"

# 2. Whole process, all templates in one call of each command line.
log "building \`letterpress\` (release)"
(cd "$root" && cargo build --quiet --release -p letterpress-cli) >&2
letterpress="$target/release/letterpress"
mjml="$here/node_modules/.bin/mjml"
mkdir -p "$work/letterpress" "$work/mjml"
quoted_files="$(printf '%q ' "${files[@]}")"
# The two command lines, writing into `letterpress/` and `mjml/` of the folder given.
lp_into() { echo "$(printf '%q' "$letterpress") compile ${quoted_files}-o $(printf '%q' "$1/letterpress")"; }
mjml_into() { echo "$(printf '%q' "$mjml") ${quoted_files}-o $(printf '%q' "$1/mjml/")"; }

# hyperfine stops at a failing command. Letterpress exits 1 when a file has errors; the time of
# such a run still counts (the other files were written), so failures are then tolerated and the
# report says so.
hyperfine_extra=()
lp_failed=0
if ! eval "$(lp_into "$work")" > /dev/null 2> "$work/letterpress.stderr"; then
  lp_failed=1
  hyperfine_extra=(--ignore-failure)
  log "\`letterpress compile\` reported errors; timing it anyway"
fi
# Each command runs `runs` times after 2 warm-up runs.
runs="${BENCH_RUNS:-20}"
# Times both command lines writing into the folder $2, hyperfine's results going to $work/$1;
# further hyperfine options follow.
time_both() {
  local json="$1" into="$2"
  shift 2
  hyperfine --warmup 2 --runs "$runs" --style basic "${hyperfine_extra[@]}" "$@" \
    --export-json "$work/$json" \
    --command-name "letterpress compile" "$(lp_into "$into")" \
    --command-name "mjml" "$(mjml_into "$into")" >&2
}
# The outputs of the last run still there: a build run again over templates that have not all
# changed.
log "timing both command lines with hyperfine"
time_both hyperfine.json "$work"
# A first build: the output folder emptied before every run, so that each file is created.
log "timing both command lines again, into an emptied folder each run"
time_both hyperfine-fresh.json "$work" \
  --prepare "rm -f $(printf '%q' "$work/letterpress")/* $(printf '%q' "$work/mjml")/*"
# The same with the outputs in a folder in memory, where the file system's own work (which on
# some disks is a good part of Letterpress's time) weighs on neither command.
memory=""
if [[ -d /dev/shm && -w /dev/shm ]]; then
  memory="$(mktemp -d -p /dev/shm)"
  trap 'rm -rf "$work" "$memory"' EXIT
  mkdir -p "$memory/letterpress" "$memory/mjml"
  log "timing both command lines again, writing to /dev/shm"
  time_both hyperfine-memory.json "$memory"
fi

node - "$here" "$work" "$target" "$have_bench" "$lp_failed" "$shown_dir" "${#files[@]}" > "$work/RESULTS.md" << 'EOF'
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const [here, work, target, haveBench, lpFailed, shownDir, count] = process.argv.slice(2);

const mjml = JSON.parse(fs.readFileSync(path.join(work, 'mjml.json'), 'utf8'));
// Criterion's mean for each template of a group, in µs.
const means = (group) => {
  const found = {};
  for (const stem of Object.keys(mjml)) {
    const file = path.join(target, 'criterion', group, stem, 'new', 'estimates.json');
    if (fs.existsSync(file)) {
      found[stem] = JSON.parse(fs.readFileSync(file, 'utf8')).mean.point_estimate / 1000;
    }
  }
  return found;
};
const letterpress = means('corpus');
const mrmlAlone = means('corpus-mrml');
const geometricMean = (values) => Math.exp(values.reduce((sum, r) => sum + Math.log(r), 0) / values.length);

const fmt = (us) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
const lines = [];
const cpu = (os.cpus()[0]?.model ?? 'unknown processor').replace(/\s+/g, ' ').trim();
const mjmlVersion = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'mjml', 'package.json'), 'utf8')).version;
lines.push('## Speed against the reference compiler', '');
lines.push(
  `Measured by \`bench/compare-mjml.sh\` on the ${count} templates in \`${shownDir}\`: ${cpu}, ${os.cpus().length} cores,`,
  `\`mjml\` ${mjmlVersion} on Node ${process.version}.`,
  '',
);

lines.push('### Compile time per template, in process', '');
lines.push(
  "Letterpress: the mean of criterion's `corpus` bench in `letterpress-core` (release build): the whole",
  'compile, from MJML text to the HTML written out. mrml alone: the `corpus-mrml` bench of the same run,',
  "mrml parsing and rendering the text the pipeline hands it, the floor under Letterpress's time.",
  'mjml: the mean of `mjml2html` calls after a warm-up, in one Node process. All get the same text',
  '(CRLF line endings turned into LF).',
  '',
);
const ratios = [];
const floorRatios = [];
const ratio = (a, b, into) => {
  if (a === undefined || b === undefined || b <= 0) return '–';
  into.push(a / b);
  return `${(a / b).toFixed(1)}×`;
};
lines.push('| template | letterpress µs | mrml alone µs | mjml µs | mjml / letterpress | mjml / mrml alone |');
lines.push('|---|---:|---:|---:|---:|---:|');
for (const [stem, mjmlUs] of Object.entries(mjml)) {
  const lpUs = letterpress[stem];
  const mrmlUs = mrmlAlone[stem];
  const shown = (us) => (us === undefined ? '–' : fmt(us));
  const cells = [stem, shown(lpUs), shown(mrmlUs), fmt(mjmlUs), ratio(mjmlUs, lpUs, ratios), ratio(mjmlUs, mrmlUs, floorRatios)];
  lines.push(`| ${cells.join(' | ')} |`);
}
if (ratios.length > 0) {
  const floor = floorRatios.length > 0 ? `**${geometricMean(floorRatios).toFixed(1)}×**` : '–';
  lines.push(`| **geometric mean** | | | | **${geometricMean(ratios).toFixed(1)}×** | ${floor} |`);
}
lines.push('');
if (haveBench !== '1') {
  lines.push("Letterpress's column is empty: the `corpus` criterion bench of `letterpress-core` does not exist yet.", '');
} else if (ratios.length < Object.keys(mjml).length) {
  lines.push(`Criterion reported ${ratios.length} of the ${Object.keys(mjml).length} templates; the others have no Letterpress time.`, '');
}

const ms = (s) => `${(s * 1000).toFixed(1)} ms`;
lines.push(`### Whole process: all ${count} templates in one command`, '');
const runs = JSON.parse(fs.readFileSync(path.join(work, 'hyperfine.json'), 'utf8')).results[0].times.length;
lines.push(
  `\`letterpress compile <files> -o <dir>\` (release build) against \`mjml <files> -o <dir>\` (the npm package's`,
  `command line), timed by hyperfine with 2 warm-up runs and ${runs} measured runs: writing to a folder`,
  'on disk that holds the last run\'s outputs (a build run again), to the same folder emptied before',
  'every run (a first build), and to a folder in memory (`/dev/shm`), where the file system costs',
  'neither command anything. Where an output already holds the bytes to be written, Letterpress',
  'only sets its modification time.',
  '',
);
lines.push('| outputs | command | mean | σ | min | max |');
lines.push('|---|---|---:|---:|---:|---:|');
const ratiosShown = [];
const settings = [
  ['on disk', 'hyperfine.json'],
  ['on disk, emptied', 'hyperfine-fresh.json'],
  ['in memory', 'hyperfine-memory.json'],
];
for (const [where, file] of settings) {
  if (!fs.existsSync(path.join(work, file))) continue;
  const runs = JSON.parse(fs.readFileSync(path.join(work, file), 'utf8')).results;
  const byName = Object.fromEntries(runs.map((r) => [r.command, r]));
  for (const name of ['letterpress compile', 'mjml']) {
    const r = byName[name];
    lines.push(`| ${where} | \`${name}\` | ${ms(r.mean)} | ${ms(r.stddev ?? 0)} | ${ms(r.min)} | ${ms(r.max)} |`);
  }
  ratiosShown.push(`${where} **${(byName['mjml'].mean / byName['letterpress compile'].mean).toFixed(1)}×**`);
}
lines.push('', `mjml / letterpress: ${ratiosShown.join(', ')}.`, '');
if (lpFailed === '1') {
  lines.push('`letterpress compile` reported errors on some of these files during this run; its time includes them.', '');
}
process.stdout.write(lines.join('\n'));
EOF

cp "$work/RESULTS.md" "$here/RESULTS.md"
cat "$here/RESULTS.md"
