// Compares `letterpress compile` with the reference compiler (`mjml2html` from the `mjml` package)
// on every `*.mjml` file of the given folders: whether Letterpress parses the file, how many lines
// differ between the two outputs once both are pretty-printed the same way, and how many pixels
// differ when both are rendered in headless Chromium. Writes `RESULTS.md`, checks the outcome
// against `baseline.json` and exits 1 when a template regressed.
//
// Usage: node compare.mjs --bin LETTERPRESS [--update] DIR...

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { diffLines, createTwoFilesPatch } from 'diff';
import beautify from 'js-beautify';
import mjml2html from 'mjml';
import pixelmatch from 'pixelmatch';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(HERE);
const OUT_DIR = path.join(HERE, 'out');
const PLACEHOLDER = path.join(HERE, 'placeholder.png');
const BASELINE = path.join(HERE, 'baseline.json');
const RESULTS = path.join(HERE, 'RESULTS.md');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const VIEWPORT_WIDTH = 600;

// Chromium runs without a sandbox (CI runs as root), without a GPU so that rendering is the same
// software path everywhere, and without any of the background traffic a normal profile makes.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--font-render-hinting=none',
  // Rendering has to come out the same on every run: no deferred image decoding, no partial
  // repaints, one colour profile, greyscale anti-aliasing only.
  '--disable-checker-imaging',
  '--disable-partial-raster',
  '--disable-lcd-text',
  '--force-color-profile=srgb',
];

// Both outputs are pretty-printed with the same settings so that the line diff shows differences
// in content, not in how each compiler lays out its markup. Every element gets its own line so a
// changed attribute shows up as one changed line rather than a changed paragraph.
const BEAUTIFY = {
  indent_size: 2,
  wrap_line_length: 0,
  preserve_newlines: false,
  max_preserve_newlines: 0,
  indent_inner_html: true,
  inline: [],
  unformatted: [],
  content_unformatted: ['pre', 'textarea'],
  extra_liners: [],
  end_with_newline: true,
  indent_scripts: 'normal',
};

function usage(message) {
  if (message) console.error(`compare: ${message}`);
  console.error('usage: node compare.mjs --bin LETTERPRESS [--update] DIR...');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { bin: null, update: false, dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--update') options.update = true;
    else if (arg === '--bin') options.bin = argv[++i];
    else if (arg.startsWith('-')) usage(`unknown option \`${arg}\``);
    else options.dirs.push(arg);
  }
  if (!options.bin) usage('missing `--bin`');
  if (options.dirs.length === 0) usage('no folder given');
  return options;
}

/** Writes the solid grey image that stands in for every remote image, once. */
function ensurePlaceholder() {
  if (fs.existsSync(PLACEHOLDER)) return;
  const png = new PNG({ width: 400, height: 300 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 160;
    png.data[i + 1] = 160;
    png.data[i + 2] = 160;
    png.data[i + 3] = 255;
  }
  fs.writeFileSync(PLACEHOLDER, PNG.sync.write(png));
}

/**
 * Points every remote image reference at the local placeholder, so that both outputs render the
 * same picture wherever the original had one and nothing is fetched from the network. Stylesheet
 * imports are left alone: they are not images, and the browser blocks them like any request.
 */
function localiseImages(html, placeholderUrl) {
  const remote = String.raw`https?:\/\/`;
  // A quoted value runs to its own closing quote: remote addresses may hold the other quote mark
  // (`.../1960's.jpg`) and parentheses.
  const attribute = new RegExp(
    String.raw`(\b(?:src|background)\s*=\s*)(?:"${remote}[^"]*"|'${remote}[^']*'|${remote}[^\s>]+)`,
    'gi',
  );
  const cssUrl = new RegExp(
    String.raw`(?<!@import\s*)url\(\s*(?:"${remote}[^"]*"|'${remote}[^']*'|${remote}[^)\s]*)\s*\)`,
    'gi',
  );
  return html
    .replace(attribute, (_m, prefix) => `${prefix}"${placeholderUrl}"`)
    .replace(cssUrl, () => `url(${placeholderUrl})`)
    .replace(/(\bsrcset\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi, (_m, prefix, dq, sq) =>
      `${prefix}"${(dq ?? sq).replace(/https?:\/\/[^\s,]+/gi, placeholderUrl)}"`,
    );
}

/**
 * Carousels get a random identifier on every compile, in both compilers. Renaming them in order of
 * appearance keeps that randomness out of the line diff; it never changes what is rendered.
 */
function normaliseCarouselIds(html) {
  const ids = new Map();
  for (const [, id] of html.matchAll(/mj-carousel-([0-9a-f]{6,})(?=[-\s"'.{,:]|$)/gi)) {
    if (!ids.has(id)) ids.set(id, `id${ids.size + 1}`);
  }
  let normalised = html;
  for (const [id, name] of ids) normalised = normalised.replaceAll(id, name);
  return normalised;
}

const START_TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'=<>\/`]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s"'=<>\/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Writes a style attribute's declarations one way: no spaces around `:` and `;`, no empty ones. */
function normaliseStyle(value) {
  return value
    .split(';')
    .map((declaration) => declaration.trim().replace(/\s*:\s*/, ':'))
    .filter((declaration) => declaration.length > 0)
    .join(';');
}

/**
 * Rewrites a start tag with its attributes sorted by name, every value double-quoted where it
 * can be, class names sorted, and style declarations spaced one way. None of this changes what a mail client shows.
 */
function normaliseStartTag(_match, name, attributes, selfClosing) {
  const parsed = [];
  for (const [, attrName, dq, sq, bare] of attributes.matchAll(ATTRIBUTE)) {
    let value = dq ?? sq ?? bare;
    if (value !== undefined && attrName.toLowerCase() === 'style') value = normaliseStyle(value);
    if (value !== undefined && attrName.toLowerCase() === 'class') value = value.split(/\s+/).filter(Boolean).sort().join(' ');
    parsed.push({ name: attrName.toLowerCase(), value });
  }
  parsed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const written = parsed.map(({ name: n, value }) => {
    if (value === undefined) return ` ${n}`;
    return value.includes('"') ? ` ${n}='${value}'` : ` ${n}="${value}"`;
  });
  return `<${name.toLowerCase()}${written.join('')}${selfClosing ? ' /' : ''}>`;
}

/**
 * Lays out an HTML document one way, so that the line diff shows differences in content rather
 * than in how each compiler arranges its markup: attributes sorted, comments (including
 * conditional comments for Outlook) on lines of their own, one element per line, indentation and
 * blank lines dropped.
 */
function prettyPrint(html) {
  const canonical = normaliseCarouselIds(html.replace(/\r\n?/g, '\n'))
    .replace(START_TAG, normaliseStartTag)
    .replace(/<!--/g, '\n<!--')
    .replace(/-->/g, '-->\n');
  return beautify
    .html(canonical, BEAUTIFY)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n')
    .concat('\n');
}

function countDiffLines(a, b) {
  let lines = 0;
  for (const part of diffLines(a, b)) {
    if (part.added || part.removed) lines += part.count ?? part.value.split('\n').length - 1;
  }
  return lines;
}

/** Copies the top-left `width` × `height` pixels of a decoded PNG. */
function crop(png, width, height) {
  if (png.width === width && png.height === height) return png.data;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    png.data.copy(data, y * width * 4, y * png.width * 4, (y * png.width + width) * 4);
  }
  return data;
}

/**
 * Counts differing pixels. Where the two screenshots differ in size, the part that only one of
 * them covers counts as differing: a page that grew taller by a line is a visible difference.
 */
function comparePixels(refPng, lpPng) {
  const width = Math.max(refPng.width, lpPng.width);
  const height = Math.max(refPng.height, lpPng.height);
  const overlapWidth = Math.min(refPng.width, lpPng.width);
  const overlapHeight = Math.min(refPng.height, lpPng.height);
  const overlapDiff = new PNG({ width: overlapWidth, height: overlapHeight });
  const inOverlap = pixelmatch(
    crop(refPng, overlapWidth, overlapHeight),
    crop(lpPng, overlapWidth, overlapHeight),
    overlapDiff.data,
    overlapWidth,
    overlapHeight,
    { threshold: 0, includeAA: true },
  );
  const outside = width * height - overlapWidth * overlapHeight;
  const diff = new PNG({ width, height });
  for (let i = 0; i < diff.data.length; i += 4) {
    diff.data[i] = 255;
    diff.data[i + 3] = 255;
  }
  for (let y = 0; y < overlapHeight; y++) {
    overlapDiff.data.copy(diff.data, y * width * 4, y * overlapWidth * 4, (y + 1) * overlapWidth * 4);
  }
  return { differing: inOverlap + outside, total: width * height, diff };
}

/**
 * Loads a page and screenshots its full height once it has settled: after the load event, once
 * fonts are ready and every image is decoded, and only when two screenshots in a row agree, since
 * Chromium may repaint images at a higher quality a frame after first drawing them.
 */
async function screenshot(context, file) {
  const page = await context.newPage();
  try {
    await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 30_000 });
    await page.evaluate(async () => {
      await document.fonts.ready;
      await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    });
    const take = () => page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
    let previous = await take();
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await take();
      if (current.equals(previous)) break;
      previous = current;
    }
    return PNG.sync.read(previous);
  } finally {
    await page.close();
  }
}

function firstLine(text) {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function compileWithLetterpress(bin, file) {
  const run = spawnSync(bin, ['compile', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (run.error) return { ok: false, message: `could not run letterpress: ${run.error.message}` };
  if (run.status !== 0) {
    // Diagnostics name the file; the report names only the template, wherever the folder lives.
    const message = firstLine(run.stderr.replaceAll(file, path.basename(file)));
    return { ok: false, message: message || `exit status ${run.status ?? run.signal}` };
  }
  return { ok: true, html: run.stdout };
}

async function compileWithMjml(file) {
  try {
    const result = await mjml2html(fs.readFileSync(file, 'utf8'), { filePath: file });
    return { ok: true, html: result.html, errors: result.errors ?? [] };
  } catch (error) {
    return { ok: false, message: firstLine(String(error?.message ?? error)) };
  }
}

async function compareTemplate(context, bin, dirKey, file) {
  const stem = path.basename(file, '.mjml');
  const outDir = path.join(OUT_DIR, dirKey);
  const result = { template: stem, parses: false, htmlDiffLines: null, pixelPercent: null, mjmlErrors: 0, status: '' };

  const [reference, letterpress] = [await compileWithMjml(file), compileWithLetterpress(bin, file)];
  if (!reference.ok) {
    result.status = `mjml error: ${reference.message}`;
    result.parses = letterpress.ok;
    return result;
  }
  result.mjmlErrors = reference.errors.length;
  if (!letterpress.ok) {
    result.status = `letterpress error: ${letterpress.message}`;
    return result;
  }
  result.parses = true;

  const refPretty = prettyPrint(reference.html);
  const lpPretty = prettyPrint(letterpress.html);
  result.htmlDiffLines = countDiffLines(refPretty, lpPretty);
  const patchFile = path.join(outDir, `${stem}.html.diff`);
  if (result.htmlDiffLines > 0) {
    fs.writeFileSync(patchFile, createTwoFilesPatch(`${stem}.mjml.html`, `${stem}.letterpress.html`, refPretty, lpPretty));
  } else {
    fs.rmSync(patchFile, { force: true });
  }

  // The pages sit two folders below the placeholder, so a relative reference works when the saved
  // pages are opened by hand as well.
  const placeholderUrl = path.relative(outDir, PLACEHOLDER).split(path.sep).join('/');
  const refPage = path.join(outDir, `${stem}.mjml.html`);
  const lpPage = path.join(outDir, `${stem}.letterpress.html`);
  fs.writeFileSync(refPage, localiseImages(reference.html, placeholderUrl));
  fs.writeFileSync(lpPage, localiseImages(letterpress.html, placeholderUrl));

  const refPng = await screenshot(context, refPage);
  const lpPng = await screenshot(context, lpPage);
  const { differing, total, diff } = comparePixels(refPng, lpPng);
  result.pixelPercent = total === 0 ? 0 : (differing / total) * 100;
  const shots = ['mjml.png', 'letterpress.png', 'diff.png'].map((suffix) => path.join(outDir, `${stem}.${suffix}`));
  if (differing > 0) {
    fs.writeFileSync(shots[0], PNG.sync.write(refPng));
    fs.writeFileSync(shots[1], PNG.sync.write(lpPng));
    fs.writeFileSync(shots[2], PNG.sync.write(diff));
  } else {
    for (const shot of shots) fs.rmSync(shot, { force: true });
  }
  if (refPng.height !== lpPng.height || refPng.width !== lpPng.width) {
    result.sizeNote = `${refPng.width}×${refPng.height} vs ${lpPng.width}×${lpPng.height}`;
  }

  if (differing === 0) result.status = result.htmlDiffLines === 0 ? 'identical' : 'pixel-identical';
  else result.status = 'differs';
  return result;
}

function formatPercent(percent) {
  if (percent === null) return '–';
  if (percent === 0) return '0';
  if (percent < 0.001) return '<0.001';
  return percent.toFixed(3);
}

function pixelIdentical(result) {
  return result.pixelPercent === 0;
}

function escapeCell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}

function readBaseline() {
  if (!fs.existsSync(BASELINE)) return null;
  return JSON.parse(fs.readFileSync(BASELINE, 'utf8'));
}

function displayDir(dir) {
  const relative = path.relative(REPO_ROOT, dir).split(path.sep).join('/');
  return relative === '' ? '.' : relative;
}

function renderResults(sections, versions) {
  const lines = [
    '# Fidelity against the reference compiler',
    '',
    'Generated by `fidelity/run.sh`; do not edit by hand.',
    '',
    `Each template is compiled by \`mjml\` ${versions.mjml} (\`mjml2html\` with its default options) and by`,
    '`letterpress compile`. "html diff lines" counts the lines added or removed between the two outputs',
    'after both are laid out the same way (attributes and class names sorted, style declarations spaced',
    'one way, comments and elements on lines of their own, indentation dropped); `fidelity/out/` holds',
    'the diffs. "differing pixels" compares full-page screenshots taken',
    `in headless Chromium ${versions.chromium} at ${VIEWPORT_WIDTH} px wide, with every remote image replaced by the`,
    'same local placeholder (pixelmatch, threshold 0; where the pages differ in size, the area only one',
    'of them covers counts as differing).',
    '',
    'Status: `identical` (same markup after pretty-printing), `pixel-identical` (markup differs, rendering',
    'does not), `differs`, or the error that stopped a compiler.',
    '',
  ];
  for (const section of sections) {
    const ok = section.results.filter(pixelIdentical).length;
    const parseFailures = section.results.filter((r) => !r.parses).length;
    lines.push(`## \`${section.display}\``, '');
    lines.push(
      `${section.results.length} templates: ${ok} pixel-identical, ${section.results.length - ok - parseFailures} differ, ${parseFailures} not parsed by Letterpress.`,
      '',
    );
    lines.push('| template | parses | html diff lines | differing pixels % | status |');
    lines.push('|---|---|---:|---:|---|');
    for (const r of section.results) {
      const notes = [r.status];
      if (r.sizeNote) notes.push(`page size ${r.sizeNote}`);
      if (r.mjmlErrors > 0) notes.push(`mjml reports ${r.mjmlErrors} validation error${r.mjmlErrors === 1 ? '' : 's'}`);
      lines.push(
        `| ${r.template} | ${r.parses ? 'yes' : 'no'} | ${r.htmlDiffLines ?? '–'} | ${formatPercent(r.pixelPercent)} | ${escapeCell(notes.join('; '))} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const bin = path.resolve(options.bin);
  if (!fs.existsSync(bin)) usage(`letterpress binary \`${options.bin}\` does not exist`);
  if (!fs.existsSync(CHROMIUM)) usage(`chromium \`${CHROMIUM}\` does not exist`);

  const dirs = options.dirs.map((dir) => path.resolve(dir));
  const keys = new Set();
  for (const dir of dirs) {
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) usage(`\`${dir}\` is not a folder`);
    const key = path.basename(dir);
    if (keys.has(key)) usage(`two folders are named \`${key}\`; baseline keys would collide`);
    keys.add(key);
  }

  ensurePlaceholder();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'letterpress-fidelity-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: VIEWPORT_WIDTH, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
    serviceWorkers: 'block',
  });
  // Local files load; every network request is refused at once, so a page never waits on one.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    return route.abort('blockedbyclient');
  });

  const versions = {
    mjml: JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', 'mjml', 'package.json'), 'utf8')).version,
    chromium: context.browser()?.version() ?? 'unknown',
  };

  const sections = [];
  try {
    for (const dir of dirs) {
      const key = path.basename(dir);
      fs.mkdirSync(path.join(OUT_DIR, key), { recursive: true });
      const files = fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.mjml'))
        .sort()
        .map((name) => path.join(dir, name));
      if (files.length === 0) usage(`\`${dir}\` holds no \`.mjml\` file`);
      console.log(`${displayDir(dir)}: ${files.length} templates`);
      const results = [];
      for (const file of files) {
        const result = await compareTemplate(context, bin, key, file);
        console.log(
          `  ${result.template}: ${result.status}, ${result.htmlDiffLines ?? '–'} html diff lines, ${formatPercent(result.pixelPercent)}% pixels`,
        );
        results.push(result);
      }
      sections.push({ key, display: displayDir(dir), results });
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }

  fs.writeFileSync(RESULTS, renderResults(sections, versions));

  const baseline = readBaseline();
  const regressions = [];
  const improvements = [];
  for (const section of sections) {
    for (const r of section.results) {
      const id = `${section.key}/${r.template}`;
      const before = baseline?.[id];
      if (!before) continue;
      if (before.parses && !r.parses) regressions.push(`${id}: no longer parses (${r.status})`);
      else if (before.pixel_identical && !pixelIdentical(r)) {
        regressions.push(`${id}: no longer pixel-identical (${formatPercent(r.pixelPercent)}% of pixels differ)`);
      }
      if ((!before.parses && r.parses) || (!before.pixel_identical && pixelIdentical(r))) improvements.push(id);
    }
  }

  if (options.update) {
    const next = {};
    for (const [id, value] of Object.entries(baseline ?? {})) {
      if (!keys.has(id.split('/')[0])) next[id] = value;
    }
    for (const section of sections) {
      for (const r of section.results) {
        next[`${section.key}/${r.template}`] = { parses: r.parses, pixel_identical: pixelIdentical(r) };
      }
    }
    const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
    fs.writeFileSync(BASELINE, `${JSON.stringify(sorted, null, 2)}\n`);
    console.log('baseline updated');
  } else if (!baseline) {
    console.log('no baseline yet: run with `--update` to record one');
  } else if (improvements.length > 0) {
    console.log(`improved since the baseline (record with \`--update\`): ${improvements.join(', ')}`);
  }

  const all = sections.flatMap((s) => s.results);
  const passed = all.filter(pixelIdentical).length;
  if (regressions.length > 0 && !options.update) {
    console.log('regressions against the baseline:');
    for (const line of regressions) console.log(`  ${line}`);
  }
  // Not in the `N passed, N failed` shape of a test runner's closing line: known differences
  // recorded in the baseline do not fail the run, only regressions do.
  console.log(
    `fidelity: ${passed} of ${all.length} pixel-identical to mjml, ${all.length - passed} known differences, ${regressions.length} regressions`,
  );
  if (regressions.length > 0 && !options.update) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`compare: ${error?.stack ?? error}`);
  process.exit(2);
});
