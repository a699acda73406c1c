// A previewed email is untrusted. A template full of scripts, event handlers and `javascript:`
// links must neither run script nor reach the app's commands, and its links must not navigate.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { FIXTURES, Session } from "../lib/harness.mjs";

describe("previewing a hostile template", () => {
  /** @type {Session} */
  let s;
  let appUrl;

  before(async () => {
    s = await Session.start({ extraTemplates: [["hostile", path.join(FIXTURES, "hostile")]] });
    appUrl = await s.browser.getUrl();
  });

  after(async () => {
    await s?.stop();
  });

  const pwnedDirs = () => fs.readdirSync(s.project).filter((name) => name.startsWith("pwned"));
  const marker = () => s.browser.execute(() => document.body.getAttribute("data-pwned"));

  it("renders the template without running any of its scripts", async () => {
    await s.clickTestid("template-hostile");
    await s.waitFor(async () => (await s.previewText()).includes("Hostile content"), 15_000, "the hostile preview");
    // Give anything that could run (timers, image errors, the refresh) time to try.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await marker(), null, "no script wrote into the app's document");
    assert.equal(await s.browser.getTitle(), "project — Letterpress", "no script changed the title");
    assert.deepEqual(pwnedDirs(), [], "no script created a template through the app's commands");
    assert.equal(await s.browser.getUrl(), appUrl, "the app did not navigate");
    await s.screenshot("14-hostile-template");
  });

  it("keeps the frame sandboxed without scripts or same-origin access", async () => {
    const sandbox = await s.testid("preview-frame").getAttribute("sandbox");
    assert.equal(sandbox, "", "an empty sandbox allows nothing");
    // The app's own document cannot reach into the frame either: it is a different, opaque origin.
    const reachable = await s.browser.execute(() => {
      const frame = document.querySelector("[data-testid=preview-frame]");
      try {
        return frame.contentDocument !== null;
      } catch {
        return false;
      }
    });
    assert.equal(reachable, false);
  });

  it("does nothing when its javascript: links and buttons are clicked", async () => {
    const frame = await s.testid("preview-frame");
    await s.browser.switchFrame(frame);
    try {
      for (const selector of ["#js-link", "#top-link", "a[href^='javascript:window.parent']"]) {
        const link = await s.browser.$(selector);
        await link.click();
      }
    } finally {
      await s.leaveFrame();
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await marker(), null);
    assert.deepEqual(pwnedDirs(), []);
    assert.equal(await s.browser.getUrl(), appUrl, "clicking links did not navigate the app");
    // The preview is still the email, not a page it linked to.
    assert.match(await s.previewText(), /Hostile content/);
  });

  it("runs the app itself under a policy that refuses inline script", async () => {
    // Should anything ever slip markup into the app's own document, its scripts would not run.
    const ran = await s.browser.execute(
      () =>
        new Promise((resolve) => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true";
          document.body.append(script);
          setTimeout(() => resolve(window.__inlineRan === true), 200);
        }),
    );
    assert.equal(ran, false);
  });

  it("still lets the app itself call its commands", async () => {
    // The same command the hostile script tried, made by the app through its own interface.
    await s.templateMenu("hostile");
    await s.click("[data-testid=template-actions] [data-id=duplicate]");
    await s.clickTestid("name-confirm");
    await s.waitFor(async () => fs.existsSync(path.join(s.project, "hostile-copy/template.mjml")), 5000, "the app's own command to work");
  });
});
