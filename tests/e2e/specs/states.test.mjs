// Empty and error states speak to a person: a missing project folder and a project without
// templates each get a clear screen with a way forward, never a raw error.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";

import { REPO, Session } from "../lib/harness.mjs";

describe("empty and error states", () => {
  /** @type {Session} */
  let s;

  after(async () => {
    await s?.stop();
  });

  it("explains a missing project folder and offers to open another", async () => {
    s = await Session.start({ env: { LETTERPRESS_PROJECT: "/nonexistent/letterpress-project" } });
    await s.testid("welcome").waitForDisplayed({ timeout: 10_000 });
    const problem = await s.text("welcome-problem");
    assert.match(problem, /does not exist/);
    assert.doesNotMatch(problem, /[{}]|Error:|panicked/, "no raw error reaches the person");
    assert.equal(await s.testid("open-folder").isDisplayed(), true);
    // The card sits in the middle of the space under the top bar, not below an empty one.
    const { top, bottom, below, height } = await s.browser.execute(() => {
      const card = document.querySelector(".welcome-card").getBoundingClientRect();
      const bar = document.querySelector(".topbar").getBoundingClientRect();
      return { top: card.top, bottom: card.bottom, below: bar.bottom, height: window.innerHeight };
    });
    const middle = (top + bottom) / 2;
    assert.ok(Math.abs(middle - (below + height) / 2) < 20, `card from ${top} to ${bottom} in ${below}–${height}`);
    await s.screenshot("16-missing-project");
    await s.stop();
    s = null;
  });

  it("shows an empty project with a way to create the first template", async () => {
    s = await Session.start({
      project: (dir) => fs.writeFileSync(path.join(dir, "letterpress.toml"), 'name = "Empty"\n'),
      starters: path.join(REPO, "tests/e2e/fixtures/project"),
    });
    await s.waitFor(
      async () => /no templates yet/.test((await s.text("editor-empty")) ?? ""),
      10_000,
      "the empty state",
    );
    await s.screenshot("17-empty-project");
    await s.clickTestid("create-first-template");
    await s.testid("new-template-dialog").waitForDisplayed({ timeout: 5000 });
    await (await s.testid("name-input")).setValue("hello");
    await s.clickTestid("name-confirm");
    await s.waitFor(async () => (await s.previewText()).includes("Hello Ada,"), 15_000, "the blank template's preview");
    assert.ok(fs.existsSync(path.join(s.project, "hello/data/default.json")));
  });
});
