// A previewed email is untrusted. A template full of scripts, event handlers and `javascript:`
// links must neither run script nor reach the app's commands, and its links must not navigate.
// The preview's frames share the app's origin (so the app can read them), which makes "no script
// runs there" the whole wall: a positive control runs the same payload from the app's side and
// shows that the checks would see it.

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

  it("keeps the preview's frames sandboxed without scripts, the app reading them from outside", async () => {
    const frames = await s.browser.execute(() =>
      [...document.querySelectorAll("iframe")].map((f) => ({
        testid: f.getAttribute("data-testid"),
        sandbox: f.getAttribute("sandbox"),
      })),
    );
    const preview = frames.filter((f) => /^(preview|compare)-frame/.test(f.testid ?? ""));
    assert.ok(preview.length >= 2, "the preview's frames are there");
    // Same origin lets the app read the document; scripts are never allowed, in any frame.
    for (const f of preview) assert.equal(f.sandbox, "allow-same-origin", f.testid);
    for (const f of frames)
      assert.ok(
        f.sandbox !== null && !/allow-(scripts|top-navigation|popups|forms|modals)/.test(f.sandbox),
        `${f.testid}: ${f.sandbox}`,
      );
    // Every policy the email's document answers to refuses script.
    const policy = await s.browser.execute(() => {
      const doc = document.querySelector("[data-testid=preview-frame]").contentDocument;
      return doc.querySelector("meta[http-equiv=Content-Security-Policy]")?.getAttribute("content") ?? "";
    });
    assert.match(policy, /script-src 'none'/);
  });

  it("would see a payload run in the frame: the same one, run by the app itself, is caught (positive control)", async () => {
    // The app reaches into the frame's document from outside, as it does to outline elements.
    const reached = await s.browser.execute(() => {
      const doc = document.querySelector("[data-testid=preview-frame]").contentDocument;
      doc.body.setAttribute("data-app-reached", "yes");
      return doc.body.innerText.includes("Hostile content");
    });
    assert.equal(reached, true, "the app reads the email's document");
    const frame = await s.testid("preview-frame");
    await s.browser.switchFrame(frame);
    try {
      assert.equal(
        await s.browser.execute(() => document.body.getAttribute("data-app-reached")),
        "yes",
        "what the app did is seen from inside the frame",
      );
    } finally {
      await s.leaveFrame();
    }
    // The hostile script's own statements, run with the frame's window as theirs: because the
    // frame has the app's origin, they would reach the app's document and its commands. The
    // checks above would see them; the email's copy of them ran nowhere, so nothing runs there.
    await s.browser.execute(() => {
      const window = document.querySelector("[data-testid=preview-frame]").contentWindow;
      window.top.document.body.setAttribute("data-pwned", "control");
      window.parent.__TAURI_INTERNALS__.invoke("create_template", { name: "control-from-frame", starter: null });
    });
    assert.equal(await marker(), "control", "a payload with the frame's window reaches the app's document");
    await s.waitFor(
      async () => fs.existsSync(path.join(s.project, "control-from-frame")),
      5000,
      "the control's command to create a template",
    );
    await s.browser.execute(() => document.body.removeAttribute("data-pwned"));
    assert.equal(await marker(), null);
    assert.deepEqual(pwnedDirs(), []);
  });

  it("does nothing when its javascript: links and buttons are clicked or activated", async () => {
    // A person's click lands on the app's layer over the email, never on the link.
    for (const selector of ["#js-link", "#top-link", "a[href^='javascript:window.parent']"]) {
      const point = await s.browser.execute((sel) => {
        const frame = document.querySelector("[data-testid=preview-frame]");
        const link = frame.contentDocument.querySelector(sel);
        const scale = frame.getBoundingClientRect().width / frame.offsetWidth;
        const f = frame.getBoundingClientRect();
        const r = link.getBoundingClientRect();
        return {
          x: Math.round(f.left + (r.left + r.width / 2) * scale),
          y: Math.round(f.top + (r.top + r.height / 2) * scale),
        };
      }, selector);
      await s.browser.action("pointer").move({ x: point.x, y: point.y, origin: "viewport" }).down().up().perform();
    }
    // And the links' own activation, triggered on the elements themselves: the sandbox refuses
    // `javascript:` URLs and navigating the app.
    await s.browser.execute(() => {
      const doc = document.querySelector("[data-testid=preview-frame]").contentDocument;
      for (const sel of ["#js-link", "#top-link", "a[href^='javascript:window.parent']"])
        doc.querySelector(sel).click();
    });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await marker(), null);
    assert.deepEqual(pwnedDirs(), []);
    assert.equal(await s.browser.getUrl(), appUrl, "clicking links did not navigate the app");
    // The preview is still the email, not a page it linked to.
    assert.match(await s.previewText(), /Hostile content/);
  });

  it("runs nothing that an edit patches into the shown document", async () => {
    // An edit of the content is patched into the document already shown instead of loading a new
    // one: the payloads it brings must stay as inert as those of a document loaded whole.
    const count = await s.renderedCount();
    await s.replaceAll(
      "Hostile content",
      `Hostile content patched <img id="patched-img" src="x-broken-patched" alt="" onerror="window.parent.__TAURI_INTERNALS__.invoke('create_template', {name: 'pwned-by-patch', starter: null})"><svg onload="window.top.document.body.setAttribute('data-pwned','patched-svg')"></svg>`,
    );
    await s.waitFor(
      async () => (await s.renderedCount()) > count && (await s.previewText()).includes("Hostile content patched"),
      15_000,
      "the preview after the edit",
    );
    const shown = await s.browser.execute(() => {
      const frame = document.querySelector("[data-testid=preview-frame]");
      return {
        by: frame.closest(".frame-column").dataset.shownBy,
        img: frame.contentDocument.querySelector("#patched-img")?.getAttribute("onerror") ?? null,
      };
    });
    assert.equal(shown.by, "patch", "the edit was patched into the shown document");
    assert.match(shown.img ?? "", /pwned-by-patch/, "the payload is in the document");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await marker(), null);
    assert.deepEqual(pwnedDirs(), []);
    assert.equal(await s.browser.getUrl(), appUrl);
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
    await s.waitFor(
      async () => fs.existsSync(path.join(s.project, "hostile-copy/template.mjml")),
      5000,
      "the app's own command to work",
    );
  });
});
