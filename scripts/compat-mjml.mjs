// Writes what the reference compiler (`mjml2html` from the `mjml` package pinned in
// `bench/package.json`, with its default options) makes of each compat fixture: for
// `crates/letterpress-core/tests/compat/<name>.mjml`, `<name>.mjml.html` beside it. The compat
// tests compare Letterpress's output with these files. Run through `scripts/compat-mjml.sh`.
//
// Letterpress turns CRLF line endings into LF before it compiles, so mjml gets the same text.
// `mj-carousel` names its classes with random characters, so `carousel.mjml.html` changes with
// every run in those names alone; its test reads none of them.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'bench', 'package.json'));
const mjml2html = require('mjml');
const version = require('mjml/package.json').version;

const dir = path.join(root, 'crates', 'letterpress-core', 'tests', 'compat');
const names = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.mjml'))
  .sort();
for (const name of names) {
  const file = path.join(dir, name);
  const source = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  // mjml 5 skips `mj-include` unless told otherwise; Letterpress always resolves includes.
  const result = await mjml2html(source, { filePath: file, ignoreIncludes: false });
  fs.writeFileSync(`${file}.html`, result.html);
}
console.log(`mjml ${version}: wrote ${names.length} files in ${path.relative(root, dir)}`);
