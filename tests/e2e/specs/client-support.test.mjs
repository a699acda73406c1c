// Knowing what will break in the inbox before sending: on the bundled templates, the Clients tab
// of the preview shows the popular clients with their scores, the features some of them lack
// (each one a way into the MJML that writes it), and the HTML size of every data set; the client
// notes also show in the problems panel, calmly, as infos.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { REPO, Session } from "../lib/harness.mjs";

const TEMPLATE = "password-reset";

describe("client support and sizes", () => {
  /** @type {Session} */
  let s;

  before(async () => {
    const templates = path.join(REPO, "templates");
    s = await Session.start({ project: templates, starters: templates });
    await s.firstPreview(20_000);
    await s.afterNewPreview(() => s.clickTestid(`template-${TEMPLATE}`));
    await s.waitFor(async () => (await s.text("preview-pane"))?.includes(TEMPLATE), 10_000, "the template's preview");
  });

  after(async () => {
    await s?.stop();
  });

  it("lists client-support notes in the problems panel as infos, after the warnings", async () => {
    await s.waitFor(
      async () => (await s.browser.$$("[data-testid=problem].info")).length > 0,
      10_000,
      "an info in the problems panel",
    );
    const problems = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=problem]")].map((b) => ({
        code: b.getAttribute("data-code"),
        severity: b.querySelector(".severity")?.getAttribute("aria-label"),
        marker: b.querySelector(".severity")?.textContent,
      })),
    );
    const infos = problems.filter((p) => p.severity === "info");
    assert.ok(
      infos.some((p) => p.code === "client-support"),
      `a client-support info among ${JSON.stringify(problems)}`,
    );
    assert.ok(
      infos.every((p) => p.marker === "i"),
      "infos carry the calm “i” marker",
    );
    const ranks = problems.map((p) => ({ error: 0, warning: 1, info: 2 })[p.severity]);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      "errors, then warnings, then infos",
    );
    const level = await s.testid("problems-count").getAttribute("data-level");
    const worst = problems.some((p) => p.severity === "error")
      ? "error"
      : problems.some((p) => p.severity === "warning")
        ? "warning"
        : "info";
    assert.equal(level, worst, "the badge takes the most serious severity; infos alone never make it red or yellow");
  });

  it("shows the popular clients with their scores, lowest first, and the features they lack", async () => {
    await s.clickTestid("tab-clients");
    await s.waitFor(async () => s.testid("support-view").isDisplayed(), 10_000, "the Clients tab");
    // The view shows at once; its table follows with the next render.
    await s.waitFor(async () => (await s.text("support-header")) !== null, 10_000, "the Clients table");
    assert.match(await s.text("support-header"), /^caniemail \S+, data of \d{4}-\d{2}-\d{2}$/);
    const clients = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=support-client]")].map((row) => ({
        name: row.querySelector(".client-name")?.textContent,
        score: row.getAttribute("data-score"),
        shown: row.querySelector("[data-testid=client-score]")?.textContent,
      })),
    );
    const outlook = clients.find((c) => c.name === "Outlook (Windows)");
    assert.ok(outlook, `a row for Outlook (Windows) among ${clients.map((c) => c.name).join(", ")}`);
    assert.match(outlook.shown, /^\d{1,3}$/);
    assert.ok(clients.length >= 5, "the popular clients");
    const scores = clients.map((c) => Number(c.score));
    assert.ok(scores.every((n) => n >= 0 && n <= 100));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => a - b),
      "lowest score first",
    );
    const radius = await s.$(
      '[data-testid=support-problems] [data-testid=support-problem][data-written="border-radius"]',
    );
    assert.ok(await radius.isExisting(), "border-radius is among the features the template writes");
    // Outlook on Windows lacks it; its cell in the table says so.
    const marks = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=support-client][data-client=outlook-windows] td.mark")].map((td) =>
        td.getAttribute("data-mark"),
      ),
    );
    assert.ok(marks.includes("none"), `Outlook (Windows) lacks something: ${marks}`);
  });

  it("shows the HTML size of every data set, the current one as the preview measured it", async () => {
    await s.waitFor(
      async () => (await s.testid("data-set-sizes").getAttribute("data-state")) === "ready",
      20_000,
      "the sizes",
    );
    const sizes = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=data-set-size]")].map((li) => ({
        name: li.getAttribute("data-name"),
        bytes: Number(li.getAttribute("data-bytes")),
        level: li.getAttribute("data-level"),
        text: li.textContent,
      })),
    );
    const onDisk = fs
      .readdirSync(path.join(s.project, TEMPLATE, "data"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
    assert.deepEqual(sizes.map((e) => e.name).sort(), onDisk);
    for (const e of sizes) {
      assert.ok(e.bytes > 1000, `${e.name} has HTML`);
      assert.match(e.text, /\d+(\.\d)? KB$/);
      assert.equal(e.level, e.bytes > 102 * 1024 ? "clipped" : e.bytes > 102 * 1024 * 0.8 ? "near" : "ok");
    }
    const current = await s.testid("data-set-select").getValue();
    const previewBytes = Number(await s.testid("message-size").getAttribute("data-bytes"));
    assert.equal(sizes.find((e) => e.name === current)?.bytes, previewBytes);
    await s.browser.execute(() => document.querySelector("[data-testid=support-view]")?.scrollTo(0, 0));
    await s.screenshot("clients-01-overview");
  });

  it("puts the cursor where the template writes a feature when it is clicked", async () => {
    const selector = '[data-testid=support-problems] [data-testid=support-problem][data-written="border-radius"]';
    const radius = await s.$(selector);
    const file = await radius.getAttribute("data-file");
    const line = Number(await radius.getAttribute("data-line"));
    // The place comes from the app; the MJML on disk must have there either the attribute itself
    // or an element that takes it from `<mj-attributes>` (the bundled templates set it once, in
    // the head partial, for every `<mj-wrapper>` and `<mj-button>`).
    const source = fs.readFileSync(path.join(s.project, file), "utf8").split("\n");
    const written = source[line - 1] ?? "";
    const tag = /<(mj-[\w-]+)/.exec(written)?.[1];
    assert.ok(tag, `${file}:${line} has an MJML element: ${written}`);
    const head = fs.readFileSync(path.join(s.project, "partials/head.mjml"), "utf8");
    const byDefault = new RegExp(`<${tag}\\s[^>]*\\bborder-radius=`).test(head);
    assert.ok(
      /border-radius/.test(written) || byDefault,
      `${file}:${line} writes border-radius or takes it from <mj-attributes>`,
    );
    await s.click(selector);
    await s.waitFor(
      async () => (await s.testid(`tab-${file}`).getAttribute("aria-selected")) === "true",
      10_000,
      `${file} to open`,
    );
    await s.waitFor(
      async () =>
        (await s.browser.execute(
          () => document.querySelector("[data-testid=editor] .cm-activeLineGutter")?.textContent,
        )) === String(line),
      5000,
      `the cursor on line ${line}`,
    );
    const cursorText = await s.browser.execute(
      () => document.querySelector("[data-testid=editor] .cm-activeLine")?.textContent ?? "",
    );
    assert.equal(cursorText.trim(), written.trim());
    // The Clients tab stays open on the template that includes the partial.
    assert.equal(await s.testid("support-view").isDisplayed(), true);
    await s.waitFor(
      async () => (await s.testid("data-set-sizes").getAttribute("data-state")) === "ready",
      20_000,
      "the sizes",
    );
    await s.screenshot("clients-02-feature");
  });
});
