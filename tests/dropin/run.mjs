// Runs every line of `lines.txt` twice in fresh scratch folders, once with the real `mjml` 5.4.1
// command and once with `letterpress compile` standing in for it, and compares the exit status,
// the files written and what they show (visible text, FILE comments, version lines). Prints a
// table and exits 1 when any line behaves differently.
//
// Usage: node run.mjs LETTERPRESS CORPUS

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [bin, corpus] = process.argv.slice(2);
const MJML = path.join(HERE, 'node_modules', '.bin', 'mjml');
const TEMPLATES = ['basic.mjml', 'card.mjml', 'alert.mjml'];

function readLines() {
  const lines = [];
  let source = '';
  for (const raw of fs.readFileSync(path.join(HERE, 'lines.txt'), 'utf8').split('\n')) {
    if (raw.startsWith('# ')) source = raw.slice(2);
    else if (raw.trim() && !raw.startsWith('#')) lines.push({ line: raw, source });
  }
  return lines;
}

/** A scratch folder with the inputs every line expects, and `mjml` on the PATH. */
function scratch(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dropin-${kind}-`));
  const binDir = path.join(dir, '.bin');
  fs.mkdirSync(binDir);
  const command = kind === 'mjml' ? `exec "${MJML}" "$@"` : `exec "${bin}" compile "$@"`;
  fs.writeFileSync(path.join(binDir, 'mjml'), `#!/bin/sh\n${command}\n`, { mode: 0o755 });
  for (const sub of ['templates', 'invalid', 'inc/partials', 'out', 'dist']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (const t of TEMPLATES) fs.copyFileSync(path.join(corpus, t), path.join(dir, 'templates', t));
  fs.copyFileSync(path.join(corpus, 'basic.mjml'), path.join(dir, 'email.mjml'));
  fs.copyFileSync(path.join(corpus, 'card.mjml'), path.join(dir, 'x.hbs.mjml'));
  const body = (inner) => `<mjml><mj-body><mj-section><mj-column>${inner}</mj-column></mj-section></mj-body></mjml>\n`;
  fs.writeFileSync(path.join(dir, 'invalid/unknown.mjml'), body('<mj-text>kept</mj-text><mj-foo><mj-text>dropped</mj-text></mj-foo><mj-bar />'));
  fs.writeFileSync(path.join(dir, 'invalid/unclosed.mjml'), '<mjml><mj-body><mj-section><mj-column><mj-text>open</mj-text>\n');
  fs.writeFileSync(path.join(dir, 'inc/main.mjml'), '<mjml><mj-body><mj-include path="./partials/header.mjml" /><mj-section><mj-column><mj-text>main</mj-text></mj-column></mj-section></mj-body></mjml>\n');
  fs.writeFileSync(path.join(dir, 'inc/partials/header.mjml'), '<mj-section><mj-column><mj-text>header</mj-text></mj-column></mj-section>\n');
  return dir;
}

function snapshot(dir) {
  const files = new Map();
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.name === '.bin') continue;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  walk('.');
  return files;
}

/** What a reader sees: FILE comments, version lines and the visible text, in order. */
function shown(text) {
  return text
    .replace(/<head[\s\S]*?<\/head>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<!--\s*(FILE: [^>]*?)\s*-->/g, ' [$1] ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function runIn(kind, line) {
  const dir = scratch(kind);
  const before = snapshot(dir);
  const result = spawnSync('bash', ['-c', line], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(dir, '.bin')}:${process.env.PATH}`, NO_COLOR: '1' },
    timeout: 60000,
  });
  const after = snapshot(dir);
  const written = new Map([...after].filter(([name, text]) => before.get(name) !== text));
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, written };
}

const rows = [];
let failures = 0;
for (const { line, source } of readLines()) {
  const a = runIn('mjml', line);
  const b = runIn('letterpress', line);
  const problems = [];
  if (a.status !== b.status) problems.push(`exit ${a.status} vs ${b.status}`);
  const namesA = [...a.written.keys()].sort().join(' ');
  const namesB = [...b.written.keys()].sort().join(' ');
  if (namesA !== namesB) problems.push(`files [${namesA}] vs [${namesB}]`);
  for (const [name, text] of a.written) {
    if (b.written.has(name) && shown(text) !== shown(b.written.get(name))) problems.push(`${name} shows other text`);
  }
  if (shown(a.stdout) !== shown(b.stdout)) problems.push('stdout shows other text');
  if (problems.length) failures++;
  rows.push({ line, source, ok: problems.length === 0, problems });
}

console.log('| invocation | source | drop-in |');
console.log('|---|---|---|');
for (const row of rows) {
  const verdict = row.ok ? 'yes' : `no: ${row.problems.join('; ')}`;
  console.log(`| \`${row.line.replaceAll('|', '\\|')}\` | ${row.source} | ${verdict} |`);
}
console.log(`\ndrop-in: ${rows.length - failures} of ${rows.length} lines behave the same`);
process.exit(failures ? 1 : 0);
