// The colours Chromium gives the text of HTML files, in the light and the dark colour scheme.
//
//   node colours.mjs OUT.json FILE.html...
//
// For every element with a non-blank text node of its own that is shown, writes its path (the
// index of each element among its parent's element children, from the document down), the
// computed `color`, and the background under it: the `background-color` of the element and its
// ancestors composited down to the first opaque one or to the canvas, or null when a background
// image with no opaque colour lies in between. Network requests are blocked; the viewport is a
// desktop one (1024 pixels wide), as the Rust side evaluates media queries.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [out, ...files] = process.argv.slice(2);
if (!out || files.length === 0) {
  console.error('usage: node colours.mjs OUT.json FILE.html...');
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb'],
});

function collect() {
  const UNRENDERED = new Set(['HEAD', 'TITLE', 'STYLE', 'SCRIPT', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'OPTION', 'IFRAME', 'OBJECT']);
  const blank = (text) => /^[\s\u200b-\u200f\u034f\ufeff\u2060\u00ad]*$/.test(text);
  const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const parse = (css) => {
    const m = css.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const path = (el) => {
    const indexes = [];
    for (let e = el; e; e = e.parentElement) {
      const siblings = e.parentElement ? e.parentElement.children : e.ownerDocument.children;
      indexes.unshift(Array.prototype.indexOf.call(siblings, e));
    }
    return indexes.join('.');
  };
  // Clipped to nothing by an ancestor (or itself) that hides its overflow and has no height or width.
  const clipped = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'inline' || (s.overflowX === 'visible' && s.overflowY === 'visible')) continue;
      if ((s.overflowY !== 'visible' && e.clientHeight === 0) || (s.overflowX !== 'visible' && e.clientWidth === 0)) return true;
    }
    return false;
  };
  const canvasProbe = document.createElement('div');
  canvasProbe.style.backgroundColor = 'Canvas';
  document.documentElement.appendChild(canvasProbe);
  const canvas = parse(getComputedStyle(canvasProbe).backgroundColor);
  canvasProbe.remove();
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const colour = parse(s.backgroundColor);
      if (s.backgroundImage !== 'none' && colour[3] < 1) return null;
      if (colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    let below = canvas.slice(0, 3);
    for (const [r, g, b, a] of layers.reverse()) {
      below = [a * r + (1 - a) * below[0], a * g + (1 - a) * below[1], a * b + (1 - a) * below[2]];
    }
    return [...below.map(Math.round), 1];
  };
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    if (UNRENDERED.has(el.tagName)) continue;
    const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('');
    if (blank(own)) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const style = getComputedStyle(el);
    if (parseFloat(style.fontSize) === 0 || clipped(el)) continue;
    found.push({ path: path(el), fg: parse(style.color), bg: background(el), text: own.trim().replace(/\s+/g, ' ').slice(0, 40) });
  }
  return found;
}

const result = { files: [] };
const page = await browser.newPage();
await page.setViewport({ width: 1024, height: 768 });
await page.setRequestInterception(true);
page.on('request', (request) => (request.url().startsWith('file:') ? request.continue() : request.abort()));
for (const file of files) {
  const entry = { file: resolve(file) };
  for (const scheme of ['light', 'dark']) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
    entry[scheme] = await page.evaluate(collect);
  }
  result.files.push(entry);
  console.error(`${file}: ${entry.light.length} light, ${entry.dark.length} dark`);
}
await browser.close();
writeFileSync(out, JSON.stringify(result, null, 1));
