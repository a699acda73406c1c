// Typed work is never lost: after a crash, the unsaved edits come back when the app starts again,
// and they are still not on disk until the person saves them.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";

import { Session } from "../lib/harness.mjs";

describe("recovering from a crash", () => {
  /** @type {Session} */
  let s;

  after(async () => {
    await s?.stop();
  });

  it("brings back unsaved edits after the app was killed", async () => {
    s = await Session.start();
    await s.clickTestid("template-welcome");
    await s.waitFor(async () => (await s.previewText()).includes("Hello Ada,"), 15_000, "the welcome preview");
    await s.afterNewPreview(() => s.replaceAll("Hello {{name}},", "Recovered {{name}},"));
    const journal = path.join(s.tmp, "data", "unsaved");
    await s.waitFor(
      async () => fs.existsSync(journal) && fs.readdirSync(journal).length === 1,
      5000,
      "the journal to be written",
    );
    const tmp = s.tmp;
    await s.stop({ crash: true, keepFiles: true });

    const file = path.join(tmp, "project/welcome/template.mjml");
    assert.doesNotMatch(fs.readFileSync(file, "utf8"), /Recovered/, "nothing was saved before the crash");

    s = await Session.start({ resume: tmp });
    await s.waitFor(
      async () => /Restored unsaved changes to 1 file/.test((await s.text("toasts")) ?? ""),
      15_000,
      "the restore notice",
    );
    assert.equal(await s.text("save-state"), "1 unsaved");
    await s.clickTestid("template-welcome");
    await s.waitFor(
      async () => (await s.editorText()).includes("Recovered {{name}},"),
      10_000,
      "the edits in the editor",
    );
    await s.waitFor(async () => (await s.previewText()).includes("Recovered Ada,"), 10_000, "the edits in the preview");
    await s.screenshot("15-restored");

    await s.click("[data-testid=editor] .cm-content");
    await s.browser.keys(["Control", "s"]);
    await s.waitFor(async () => fs.readFileSync(file, "utf8").includes("Recovered {{name}},"), 5000, "the save");
    await s.waitFor(
      async () => !fs.existsSync(journal) || fs.readdirSync(journal).length === 0,
      5000,
      "the journal to be cleared",
    );
  });
});
