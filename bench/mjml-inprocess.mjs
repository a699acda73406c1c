// Times the reference compiler (`mjml2html` from the `mjml` package) in process, template by
// template, the way Letterpress's criterion bench times its own pipeline: warm up first, then
// report the mean time of one compile. Prints one JSON object, `{ "<stem>": <mean µs>, ... }`.
//
// Usage: node mjml-inprocess.mjs DIR
// Environment: BENCH_WARMUP_MS (default 1000) and BENCH_MEASURE_MS (default 3000) per template;
// at least 5 warm-up and 10 measured compiles are made whatever the time.

import fs from 'node:fs';
import path from 'node:path';

import mjml2html from 'mjml';

const dir = process.argv[2];
if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node mjml-inprocess.mjs DIR');
  process.exit(2);
}
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const measureMs = Number(process.env.BENCH_MEASURE_MS ?? 3000);

const files = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.mjml'))
  .sort();

const results = {};
for (const name of files) {
  const file = path.join(dir, name);
  // Letterpress turns CRLF line endings into LF before it compiles, so mjml gets the same text
  // here (it copes with CRLF itself, but then the two would not time the same input).
  const source = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  const options = { filePath: file };
  const compile = () => mjml2html(source, options);

  const warmupUntil = performance.now() + warmupMs;
  for (let i = 0; i < 5 || performance.now() < warmupUntil; i++) await compile();

  let iterations = 0;
  const start = process.hrtime.bigint();
  const measureUntil = performance.now() + measureMs;
  while (iterations < 10 || performance.now() < measureUntil) {
    await compile();
    iterations++;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  results[path.basename(name, '.mjml')] = elapsedNs / iterations / 1000;
  process.stderr.write(`mjml: ${name} ${(elapsedNs / iterations / 1e6).toFixed(2)} ms (${iterations} runs)\n`);
}
console.log(JSON.stringify(results));
