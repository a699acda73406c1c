// Compares every template of whole projects filled by letterpress with the same templates filled by handlebars.js.
//
// Usage: node project-diff.mjs BIN PROJECT_DIR...
//
// For each project, the templates are exported with their placeholders kept (`BIN build --format
// plain`), which is what a production mailer or an ESP fills. Each exported part is then filled
// with each of the template's data sets by handlebars.js 4.7.8 — the HTML escaped, the plain text
// and the subject with `noEscape`, as letterpress fills them — and compared byte for byte with
// what `BIN render --json` gives for the same template and data set. A message previewed in
// Letterpress must be the message the production side sends, so any difference is a failure.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

const [bin, ...projects] = process.argv.slice(2);
if (!bin || projects.length === 0) {
  console.error('usage: node project-diff.mjs BIN PROJECT_DIR...');
  process.exit(2);
}
if (!existsSync(bin)) {
  console.error(`project-diff: no letterpress binary at ${bin}; build it with cargo build -p letterpress-cli`);
  process.exit(2);
}

const PARTS = ['html', 'text', 'subject'];
// The plain format's file for each part; see the export crate's format module.
const FILES = { html: 'template.html', text: 'template.txt', subject: 'subject.txt' };

function run(args) {
  // Renders of long templates print a lot of JSON, more than the default buffer holds.
  const result = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  return result;
}

/** The same line ending and byte-order-mark rules letterpress applies to the files it reads. */
function normalizeSource(text) {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * A part as letterpress exported it. Each exported file is the part followed by a line break
 * unless the part already ends with one, so the break is dropped again where the part cannot
 * end with one: compiled HTML never does and the subject is trimmed. The text part is either
 * `text.hbs`, which may end either way (its source says which), or text generated from the
 * HTML, which always ends with a line break unless it is empty.
 */
function exportedPart(file, part, project, template, hasText) {
  let endsWithBreak;
  if (part === 'text') {
    if (hasText) {
      endsWithBreak = normalizeSource(readFileSync(join(project, template, 'text.hbs'), 'utf8')).endsWith('\n');
    } else {
      endsWithBreak = file !== '\n';
    }
  } else {
    endsWithBreak = false;
  }
  return !endsWithBreak && file.endsWith('\n') ? file.slice(0, -1) : file;
}

/** Fills one part with handlebars.js, in a fresh environment so nothing carries over. */
function fill(source, data, escape) {
  const saved = {};
  // The `log` helper and prototype access warnings print to the console; they are not output.
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    saved[level] = console[level];
    console[level] = () => {};
  }
  try {
    return { output: Handlebars.create().compile(source, { noEscape: !escape })(data) };
  } catch (error) {
    return { error: String(error && error.message !== undefined ? error.message : error).split('\n')[0] };
  } finally {
    Object.assign(console, saved);
  }
}

/** Shows a line of a diff with its line break and other invisible characters spelled out. */
function show(line) {
  return line.replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/**
 * A short unified diff of the first place where two texts differ: the first differing line of
 * each, with two lines of context before and the two lines after (as context where they agree,
 * as changes where they do not). Compiled HTML keeps long runs on one line, so every line shown
 * is cut to a window around the first differing character.
 */
function shortDiff(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  const lineA = a[first] ?? '';
  const lineB = b[first] ?? '';
  let column = 0;
  while (column < lineA.length && column < lineB.length && lineA[column] === lineB[column]) column++;
  const from = Math.max(0, column - 60);
  const cut = (line) => {
    // A line shorter than the window's start is shown from its own end instead of as nothing.
    const start = line.length > from ? from : Math.max(0, line.length - 160);
    const piece = line.slice(start, start + 160);
    return (start > 0 ? '…' : '') + show(piece) + (line.length > start + 160 ? '…' : '');
  };
  const start = Math.max(0, first - 2);
  const lines = [`    --- handlebars.js`, `    +++ letterpress`, `    @@ -${start + 1} +${start + 1} @@`];
  for (let i = start; i < first; i++) lines.push(`     ${cut(a[i])}`);
  // Removed lines go before added ones, as in any unified diff, so a shifted line reads as such.
  let removed = [];
  let added = [];
  const flush = () => {
    lines.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (let i = first; i < first + 3; i++) {
    const inA = i < a.length;
    const inB = i < b.length;
    if (!inA && !inB) break;
    if (inA && inB && a[i] === b[i]) {
      flush();
      lines.push(`     ${cut(a[i])}`);
      continue;
    }
    if (inA) removed.push(`    -${cut(a[i])}`);
    if (inB) added.push(`    +${cut(b[i])}`);
  }
  flush();
  return { line: first + 1, column: column + 1, text: lines.join('\n') };
}

let identical = 0;
let differ = 0;
const mismatch = (where, why, detail) => {
  differ++;
  console.log(`differs: ${where}: ${why}`);
  if (detail) console.log(detail);
};

/// A copy of the project without its `[assets]` base URL. Publishing images rewrites their URLs
/// in the export but not in the preview; that step is tested on its own, and this comparison is
/// about filling, so the copy keeps images where the templates write them.
function withoutAssetBaseUrl(project, into) {
  cpSync(project, into, { recursive: true });
  const config = join(into, 'letterpress.toml');
  if (existsSync(config)) {
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, text.replace(/^\[assets\][^\[]*/m, '').replace(/^base_url\s*=.*$/gm, ''));
  }
}

for (const original of projects) {
  const out = mkdtempSync(join(tmpdir(), 'letterpress-hbs-'));
  const project = join(mkdtempSync(join(tmpdir(), 'letterpress-hbs-project-')), 'project');
  withoutAssetBaseUrl(original, project);
  try {
    // A template with errors is left out of the export; the manifest says which were written.
    const build = run(['build', '--project', project, '--format', 'plain', '--out', out, '--allow-local-images']);
    const manifestPath = join(out, 'manifest.json');
    const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { templates: {} };
    const list = run(['list', '--project', project, '--json']);
    let templates;
    try {
      templates = JSON.parse(list.stdout);
    } catch {
      console.log(`differs: ${project}: \`letterpress list\` gave no template list (exit ${list.status}): ${list.stderr.trim().split('\n')[0] ?? ''}`);
      differ++;
      continue;
    }
    for (const { name: template, dataSets, hasText } of templates) {
      const exported = manifest.templates?.[template];
      if (!exported) {
        // Nothing can be filled without the exported parts, so every part of every data set of
        // the template counts as differing; the errors that kept it out say why.
        const reason = build.stderr
          .split('\n')
          .filter((l) => l.startsWith(`${template}/`) && l.includes('error'))
          .slice(0, 3)
          .join(' | ');
        const parts = dataSets.length * PARTS.length;
        differ += parts;
        console.log(`differs: ${project} ${template}: not exported, so its ${parts} parts count as differing${reason ? `: ${reason}` : ''}`);
        continue;
      }
      const sources = {};
      for (const part of PARTS) {
        const file = readFileSync(join(out, template, FILES[part]), 'utf8');
        sources[part] = exportedPart(file, part, project, template, hasText);
      }
      for (const set of dataSets) {
        const where = (part) => `${project} ${template} [${set}] ${part}`;
        let data;
        try {
          // JSON.parse reads numbers as handlebars.js users' data would be read: as JavaScript numbers.
          data = JSON.parse(readFileSync(join(project, template, 'data', `${set}.json`), 'utf8').replace(/^\uFEFF/, ''));
        } catch (error) {
          for (const part of PARTS) mismatch(where(part), `the data set cannot be read: ${error.message.split('\n')[0]}`);
          continue;
        }
        const render = run(['render', template, '--project', project, '--data', set, '--json']);
        let rendered;
        try {
          rendered = JSON.parse(render.stdout);
        } catch {
          for (const part of PARTS) {
            mismatch(where(part), `\`letterpress render\` failed (exit ${render.status}): ${render.stderr.trim().split('\n')[0] ?? ''}`);
          }
          continue;
        }
        const errors = (rendered.diagnostics ?? []).filter((d) => d.severity === 'error');
        for (const part of PARTS) {
          const expected = fill(sources[part], data, part === 'html');
          if (expected.error !== undefined) {
            mismatch(where(part), `handlebars.js throws: ${expected.error}`);
            continue;
          }
          if (errors.length) {
            mismatch(where(part), `letterpress reports errors: ${errors.map((d) => `${d.file}: ${d.message}`).join(' | ')}`);
            continue;
          }
          const actual = rendered[part];
          if (actual === expected.output) {
            identical++;
            continue;
          }
          if (typeof actual !== 'string') {
            mismatch(where(part), `letterpress gave no ${part}`);
            continue;
          }
          const diff = shortDiff(expected.output, actual);
          mismatch(where(part), `first difference at line ${diff.line}, column ${diff.column}`, diff.text);
        }
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(dirname(project), { recursive: true, force: true });
  }
}

console.log(`handlebars-diff: ${identical} parts identical, ${differ} differ`);
process.exit(differ ? 1 : 0);
