// Measures what a designer feels: keystroke to painted preview and compile time for a typical
// template and for the largest template of the MJML corpus, time from launch to interactive, and
// resident memory. Figures go to results/performance.json; nothing here asserts on time.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import {
  addLargeTemplate,
  APP,
  copyDir,
  FIXTURES,
  LARGE_TEMPLATE as LARGE,
  REPO,
  RESULTS,
  Session,
} from "../lib/harness.mjs";

const KEYSTROKES = Number(process.env.LETTERPRESS_PERF_KEYSTROKES ?? 20);

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (v) => Math.round(v * 10) / 10;
  return { n: sorted.length, median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]) };
}

function fillProject(dir) {
  copyDir(path.join(FIXTURES, "project"), dir);
  addLargeTemplate(dir);
}

describe("performance", () => {
  /** @type {Session} */
  let s;
  const results = {
    measuredAt: new Date().toISOString(),
    app: path.relative(REPO, APP),
    keystrokes: KEYSTROKES,
    templates: {},
  };

  before(async () => {
    s = await Session.start({ project: fillProject });
  });

  after(async () => {
    await s?.stop();
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, "performance.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  });

  it("records launch to interactive and memory", async () => {
    const ready = Number(await s.$("#app").getAttribute("data-ready-ms"));
    assert.ok(ready > 0, "the app reports when it became interactive");
    results.launchToInteractiveMs = ready;
    results.driverSessionToReadyMs = s.sessionToReadyMs;
    results.memoryAfterLaunchMiB = s.memoryMiB();
  });

  async function measure(template, anchor) {
    await s.clickTestid(`template-${template}`);
    await s.waitFor(
      async () => (await s.testid(`tab-${template}/template.mjml`).getAttribute("aria-selected")) === "true",
      10_000,
      `${template} to open`,
    );
    await s.waitFor(async () => (await s.renderedCount()) > 0, 15_000, "a preview");
    await s.cursorAfter(anchor);
    await s.browser.execute(() => {
      window.letterpressTimings.length = 0;
    });
    const letters = "designers";
    for (let i = 0; i < KEYSTROKES; i++) {
      const before = await s.renderedCount();
      await s.browser.keys([letters[i % letters.length]]);
      await s.waitFor(async () => (await s.renderedCount()) > before, 15_000, "the preview after a keystroke");
      await s.waitFor(
        async () => (await s.browser.execute(() => window.letterpressTimings.length)) > i,
        5000,
        "the timing",
      );
    }
    const timings = await s.browser.execute(() => window.letterpressTimings);
    assert.equal(timings.length, KEYSTROKES);
    const bytes = Number(await s.testid("message-size").getAttribute("data-bytes"));
    results.templates[template] = {
      htmlBytes: bytes,
      keystrokeToPaintMs: stats(timings.map((t) => t.totalMs)),
      keyEventToPaintMs: stats(timings.filter((t) => t.keyMs !== null).map((t) => t.keyMs)),
      afterDebounceToPaintMs: stats(timings.map((t) => t.workMs)),
      compileMs: stats(timings.map((t) => t.compileMs)),
      roundTripMs: stats(timings.map((t) => t.roundTripMs)),
      frameLoadAndPaintMs: stats(timings.map((t) => t.paintMs)),
      patched: timings.filter((t) => t.shownBy === "patch").length,
      appUpdatesMs: stats(timings.map((t) => t.appMs)),
      patchOrLoadMs: stats(timings.map((t) => t.showMs)),
      frameWaitMs: stats(timings.map((t) => t.frameWaitMs)),
      paintMs: stats(timings.map((t) => t.paintOnlyMs)),
    };
  }

  it("measures a typical template", async () => {
    await measure("welcome", "{{body}}");
  });

  it("measures the largest corpus template", {
    skip: !fs.existsSync(LARGE) && "the MJML corpus is not next to the repository",
  }, async () => {
    await measure("ugg-royale", "today");
    results.memoryAfterEditingMiB = s.memoryMiB();
  });
});
