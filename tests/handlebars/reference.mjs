// Runs every reference case through handlebars.js 4.7.8 and writes what it produced to reference.json.
//
// Usage: node reference.mjs            write reference.json
//        node reference.mjs --check    write nothing; exit 1 if reference.json is not what it would write
//
// The fill engine must match handlebars.js exactly, so its expected outputs come only from the
// real engine: this script is the one place they are made, and `--check` proves that the committed
// file still comes from it. The cases are ours (cases/*.json) and the Mustache specification's
// interpolation, sections, inverted and comments suites, which the project keeps beside it.

import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { parseRaw, toValue, member, stringifyRaw } from './json-raw.mjs';

const require = createRequire(import.meta.url);
const Handlebars = require('handlebars');

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..');
const mustacheDir = join(projectRoot, '..', 'shared', 'spec', 'mustache');
const mustacheSuites = ['interpolation', 'sections', 'inverted', 'comments'];
const referencePath = join(here, 'reference.json');
const pinned = '4.7.8';

const check = process.argv.includes('--check');

if (Handlebars.VERSION !== pinned) {
  // A different engine would silently produce different expectations, so refuse outright.
  console.error(`reference: handlebars ${Handlebars.VERSION} is installed, but the reference is made with ${pinned}; run npm ci`);
  process.exit(2);
}

/**
 * Fills one template the way the fill engine is specified to: a fresh environment for every
 * case, so nothing one case does can reach another, and `noEscape` for the parts that are not
 * HTML. Anything handlebars.js prints while rendering (the `log` helper, prototype access
 * warnings) is kept off the console, because it is not part of the output being compared.
 */
function render(template, data, escape) {
  const saved = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    saved[level] = console[level];
    console[level] = () => {};
  }
  try {
    const hb = Handlebars.create();
    return { output: hb.compile(template, { noEscape: !escape })(data) };
  } catch (error) {
    // Only the first line is kept: parse errors go on with a drawing of the template that an
    // engine written in another language has no reason to copy.
    return { error: String(error && error.message !== undefined ? error.message : error).split('\n')[0] };
  } finally {
    Object.assign(console, saved);
  }
}

function readJson(path) {
  return parseRaw(readFileSync(path, 'utf8'), path.slice(projectRoot.length + 1));
}

/** Our own cases, one suite per file in cases/, in the order of the file. */
function ourSuites() {
  const dir = join(here, 'cases');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const raw = readJson(join(dir, file));
    if (!Array.isArray(raw)) throw new Error(`cases/${file}: expected an array of cases`);
    const suite = `handlebars/${basename(file, '.json')}`;
    const seen = new Set();
    const cases = raw.map((c, i) => {
      const name = member(c, 'name');
      const template = member(c, 'template');
      const escape = member(c, 'escape');
      if (typeof name !== 'string' || typeof template !== 'string') {
        throw new Error(`cases/${file}: case ${i + 1} needs a string name and a string template`);
      }
      if (escape !== undefined && typeof escape !== 'boolean') {
        throw new Error(`cases/${file}: case "${name}" has an escape that is not true or false`);
      }
      // Names identify cases in the engine's test output and in --check, so they must be unique.
      if (seen.has(name)) throw new Error(`cases/${file}: the name "${name}" is used twice`);
      seen.add(name);
      const data = member(c, 'data');
      return { suite, name, template, data: data === undefined ? null : data, escape: escape ?? true, expected: null };
    });
    return { suite, cases, skipped: [] };
  });
}

/** The Mustache specification's suites, less the cases that need partials. */
function mustacheSpecSuites() {
  return mustacheSuites.map((name) => {
    const raw = readJson(join(mustacheDir, `${name}.json`));
    const suite = `mustache/${name}`;
    const cases = [];
    const skipped = [];
    for (const test of member(raw, 'tests')) {
      const partials = member(test, 'partials');
      const entry = {
        suite,
        name: member(test, 'name'),
        template: member(test, 'template'),
        data: member(test, 'data') ?? null,
        escape: true,
        expected: member(test, 'expected'),
      };
      // Letterpress templates have no Handlebars partials (MJML includes are resolved before
      // filling), so the fill engine never sees one and these cases test nothing it does.
      if (partials !== undefined) skipped.push(entry.name);
      else cases.push(entry);
    }
    return { suite, cases, skipped };
  });
}

const haveMustache = existsSync(mustacheDir);
if (!haveMustache && !check) {
  console.error(`reference: the Mustache specification is not at ../shared/spec/mustache; writing without it would drop its cases`);
  process.exit(2);
}
if (!haveMustache) {
  console.log('reference: ../shared/spec/mustache is absent, so its suites are skipped and only our own cases are checked');
}

const suites = [...ourSuites(), ...(haveMustache ? mustacheSpecSuites() : [])].sort((a, b) =>
  a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0,
);

const results = [];
for (const { cases } of suites) {
  for (const c of cases) {
    const result = render(c.template, toValue(c.data), c.escape);
    results.push({
      suite: c.suite,
      name: c.name,
      template: c.template,
      data: c.data,
      escape: c.escape,
      mustache_expected: c.expected,
      handlebars: result,
    });
  }
}

const text = stringifyRaw(results) + '\n';

// The summary: how many cases each suite has, and how far handlebars.js itself follows the
// Mustache specification, which tells apart the engine's own quirks from our mistakes.
console.log(`reference: handlebars ${Handlebars.VERSION}`);
for (const { suite, cases, skipped } of suites) {
  const errors = results.filter((r) => r.suite === suite && r.handlebars.error !== undefined).length;
  let line = `  ${suite}: ${cases.length} cases`;
  if (errors) line += `, ${errors} end in an error`;
  if (suite.startsWith('mustache/')) {
    const failing = results.filter((r) => r.suite === suite && r.handlebars.output !== r.mustache_expected);
    line += `; handlebars.js matches the specification in ${cases.length - failing.length}`;
    line += `; ${skipped.length} skipped for using partials, which the fill engine never sees`;
    console.log(line);
    for (const f of failing) console.log(`    differs from the specification: ${f.name}`);
  } else {
    console.log(line);
  }
}
console.log(`  total: ${results.length} cases`);

if (!check) {
  writeFileSync(referencePath, text);
  console.log('reference: wrote reference.json');
  process.exit(0);
}

// --check: the committed file must be exactly what the real engine gives today.
const onDisk = existsSync(referencePath) ? readFileSync(referencePath, 'utf8') : '';
let expectedText = text;
let committed = [];
try {
  committed = toValue(parseRaw(onDisk, 'reference.json'));
} catch (error) {
  console.log(`reference: reference.json cannot be read: ${error.message}`);
}
if (!haveMustache) {
  // Without the specification only our own suites can be compared; the rest of the file is
  // taken as it is.
  const kept = parseRaw(onDisk, 'reference.json').filter((r) => member(r, 'suite').startsWith('mustache/'));
  expectedText = stringifyRaw([...results, ...kept]) + '\n';
}
if (onDisk === expectedText) {
  console.log('reference: reference.json is up to date');
  process.exit(0);
}
const key = (r) => `${r.suite} / ${r.name}`;
const made = new Map(toValue(parseRaw(expectedText)).map((r) => [key(r), r]));
const old = new Map(committed.map((r) => [key(r), r]));
let listed = 0;
for (const [k, r] of made) {
  const before = old.get(k);
  if (!before) console.log(`  new case: ${k}`);
  else if (JSON.stringify(before) !== JSON.stringify(r)) console.log(`  differs: ${k}`);
  else continue;
  listed++;
}
for (const k of old.keys()) {
  if (!made.has(k)) {
    console.log(`  no longer a case: ${k}`);
    listed++;
  }
}
if (!listed) console.log('  the cases are the same, but the file is laid out differently (order, numbers as written, or spacing)');
console.log('reference: reference.json is stale; run node reference.mjs and commit it');
process.exit(1);
