// Exporting from the real app: review what will change before anything is written, write it,
// find everything unchanged the second time, see a broken template left out with its problems,
// and export to a target configured in letterpress.toml.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { select, typeInto } from "../lib/forms.mjs";
import { FIXTURES, Session, copyDir } from "../lib/harness.mjs";

async function planFiles(s) {
  return s.browser.execute(() =>
    [...document.querySelectorAll("[data-testid=export-file]")].map((f) => ({
      path: f.dataset.path,
      change: f.dataset.change,
    })),
  );
}

/** The fixture project with a template that does not compile and a configured export target. */
function project(dir) {
  copyDir(path.join(FIXTURES, "project"), dir);
  fs.mkdirSync(path.join(dir, "broken"));
  fs.writeFileSync(
    path.join(dir, "broken/template.mjml"),
    "<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text>Unclosed\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>\n",
  );
  fs.writeFileSync(path.join(dir, "broken/subject.hbs"), "Broken\n");
  fs.appendFileSync(path.join(dir, "letterpress.toml"), '\n[[export]]\nformat = "postmark"\nout = "dist/postmark"\n');
}

describe("exporting templates", () => {
  /** @type {Session} */
  let s;
  let out;

  before(async () => {
    s = await Session.start({ project });
    out = path.join(s.tmp, "exported");
    // The first template in the list is the broken one; show one that compiles.
    await s.clickTestid("template-welcome");
    await s.waitFor(async () => (await s.previewText()).includes("Hello Ada"), 15_000, "the welcome preview");
  });

  after(async () => {
    await s?.stop();
  });

  it("shows what will change before writing anything, then writes it", async () => {
    await s.clickTestid("open-export");
    await s.waitFor(() => s.testid("export-dialog").isDisplayed(), 10_000, "the export dialog");
    await s.clickTestid("export-folder-choice");
    await typeInto(s, "export-folder", out);
    await select(s, "export-format", "plain");
    await s.screenshot("30-export-choose");
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-summary").isExisting(), 30_000, "the plan");
    assert.equal(fs.existsSync(out), false, "reviewing writes nothing");
    assert.match(await s.text("export-summary"), /^8 files to create\./);
    const files = await planFiles(s);
    assert.deepEqual(
      files.map((f) => f.path),
      [
        ".letterpress-export.json",
        "manifest.json",
        "receipt/subject.txt",
        "receipt/template.html",
        "receipt/template.txt",
        "welcome/subject.txt",
        "welcome/template.html",
        "welcome/template.txt",
      ],
    );
    assert.ok(files.every((f) => f.change === "created"));
    const skipped = await s.text("export-skipped");
    assert.match(skipped, /1 template has errors and is left out/);
    assert.match(skipped, /broken/);
    assert.match(skipped, /broken\/template\.mjml:\d+:\d+/);
    assert.equal(await s.text("export-primary"), "Write 8 files");
    await s.screenshot("31-export-plan");

    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-done").isExisting(), 30_000, "the export");
    assert.match(await s.text("export-done"), /Wrote 8 files/);
    for (const file of files) assert.ok(fs.existsSync(path.join(out, file.path)), `${file.path} was written`);
    assert.equal(fs.existsSync(path.join(out, "broken")), false, "the broken template is left out");
    assert.match(
      fs.readFileSync(path.join(out, "welcome/template.html"), "utf8"),
      /\{\{name\}\}/,
      "placeholders are kept",
    );
    await s.screenshot("32-export-done");
    await s.clickTestid("export-primary");
    await s.waitFor(async () => !(await s.testid("export-dialog").isExisting()), 5000, "the dialog to close");
  });

  it("finds everything unchanged when nothing changed since", async () => {
    const before = fs.statSync(path.join(out, "welcome/template.html")).mtimeMs;
    await s.clickTestid("open-export");
    await s.waitFor(() => s.testid("export-dialog").isDisplayed(), 10_000, "the export dialog");
    // The last destination is remembered.
    assert.equal(await s.browser.execute(() => document.querySelector("[data-testid=export-folder]").value), out);
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-summary").isExisting(), 30_000, "the plan");
    assert.equal(
      await s.text("export-summary").then((t) => t.split(".")[0]),
      "Everything is up to date — 8 files unchanged",
    );
    assert.ok((await planFiles(s)).every((f) => f.change === "unchanged"));
    assert.equal(await s.testid("export-primary").isEnabled(), false, "there is nothing to write");
    await s.screenshot("33-export-unchanged");
    await s.clickTestid("export-cancel");
    assert.equal(fs.statSync(path.join(out, "welcome/template.html")).mtimeMs, before, "nothing was rewritten");
  });

  it("exports to a target configured in letterpress.toml, reporting only what changed", async () => {
    const target = path.join(s.project, "dist/postmark");
    fs.mkdirSync(path.join(target, "welcome"), { recursive: true });
    fs.writeFileSync(path.join(target, "welcome/content.html"), "stale\n");
    await s.clickTestid("open-export");
    await s.waitFor(() => s.testid("export-dialog").isDisplayed(), 10_000, "the export dialog");
    await s.clickTestid("export-config-0");
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-summary").isExisting(), 30_000, "the plan");
    // The file there was not written by an export: nothing is written over it until asked.
    assert.match(await s.text("export-conflicts"), /1 file here was not written by an export/);
    assert.match(await s.text("export-conflicts"), /welcome\/content\.html/);
    assert.equal(await s.testid("export-primary").isEnabled(), false, "nothing is written over someone else's file");
    await s.screenshot("33b-export-conflict");
    await s.clickTestid("export-force");
    await s.waitFor(
      async () => !(await s.testid("export-conflicts").isExisting()),
      30_000,
      "the plan that replaces it",
    );
    const files = await planFiles(s);
    assert.equal(files.find((f) => f.path === "welcome/content.html")?.change, "updated");
    assert.match(await s.text("export-summary"), /6 files to create, 1 to update\./);
    assert.match(await s.text("export-summary"), /Postmark → dist\/postmark/);
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-done").isExisting(), 30_000, "the export");
    assert.match(fs.readFileSync(path.join(target, "welcome/content.html"), "utf8"), /<!doctype html>/i);
    assert.ok(fs.existsSync(path.join(target, "receipt/meta.json")));
    await s.clickTestid("export-primary");
  });

  it("leaves out a template that Postmark's engine cannot fill, saying where and what to write", async () => {
    fs.mkdirSync(path.join(s.project, "coupon/data"), { recursive: true });
    fs.writeFileSync(
      path.join(s.project, "coupon/template.mjml"),
      '<mjml lang="en" dir="ltr">\n  <mj-head><mj-title>Coupon</mj-title></mj-head>\n  <mj-body>\n    <mj-section><mj-column>\n      <mj-text>{{#if code}}Your code: {{code}}{{/if}}</mj-text>\n    </mj-column></mj-section>\n  </mj-body>\n</mjml>\n',
    );
    fs.writeFileSync(path.join(s.project, "coupon/subject.hbs"), "Your coupon\n");
    fs.writeFileSync(path.join(s.project, "coupon/data/default.json"), '{"code": "SPRING"}\n');
    await s.waitFor(() => s.testid("template-coupon").isExisting(), 10_000, "the new template in the list");
    await s.clickTestid("open-export");
    await s.waitFor(() => s.testid("export-dialog").isDisplayed(), 10_000, "the export dialog");
    await s.clickTestid("export-config-0");
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-summary").isExisting(), 30_000, "the plan");
    const skipped = await s.text("export-skipped");
    assert.match(skipped, /coupon/);
    assert.match(skipped, /coupon\/template\.mjml:5:16/);
    assert.match(skipped, /Mustachio has no “\{\{#if\}\}”; write “\{\{#name\}\}/);
    await s.screenshot("34-export-dialect");
    await s.clickTestid("export-cancel");
  });
});

describe("exporting a large project", () => {
  /** @type {Session} */
  let s;

  before(async () => {
    s = await Session.start({
      project: (dir) => {
        copyDir(path.join(FIXTURES, "project"), dir);
        for (let n = 1; n <= 40; n++)
          copyDir(path.join(dir, "welcome"), path.join(dir, `welcome-${String(n).padStart(2, "0")}`));
      },
    });
    await s.firstPreview();
  });

  after(async () => {
    await s?.stop();
  });

  it("shows its progress while compiling and writing", async () => {
    await s.clickTestid("open-export");
    await s.waitFor(() => s.testid("export-dialog").isDisplayed(), 10_000, "the export dialog");
    // Every text the progress line shows is kept, however briefly it shows.
    await s.browser.execute(() => {
      window.exportProgressSeen = [];
      const progress = document.querySelector("[data-testid=export-progress]");
      new MutationObserver(() => window.exportProgressSeen.push(progress.textContent)).observe(progress, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await s.clickTestid("export-folder-choice");
    await typeInto(s, "export-folder", path.join(s.tmp, "large"));
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-summary").isExisting(), 60_000, "the plan");
    assert.match(await s.text("export-summary"), /^128 files to create\./);
    await s.clickTestid("export-primary");
    await s.waitFor(() => s.testid("export-done").isExisting(), 60_000, "the export");
    const seen = await s.browser.execute(() => window.exportProgressSeen);
    assert.ok(
      seen.some((t) => /^Compiling welcome-\d\d — \d+ of 42$/.test(t)),
      `compiling progress: ${seen.slice(0, 5)}`,
    );
    assert.ok(
      seen.some((t) => /^Writing .+ — \d+ of 128$/.test(t)),
      `writing progress: ${seen.slice(-5)}`,
    );
    await s.clickTestid("export-primary");
  });
});
