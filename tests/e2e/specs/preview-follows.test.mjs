// A preview that follows the designer: its scroll position survives every update (an edit, another
// data set, width or colour mode), a click in it puts the editor's cursor on the MJML that wrote
// what was clicked (in a partial too), the cursor in the editor outlines what it wrote, and two
// views side by side (desktop and mobile, or two data sets) scroll together.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { addLargeTemplate, copyDir, LARGE_TEMPLATE as LARGE, REPO, Session } from "../lib/harness.mjs";

const TEMPLATE = "password-reset";

/** The bundled templates, with the longest official MJML template when it is there. */
function fillProject(dir) {
  copyDir(path.join(REPO, "templates"), dir);
  addLargeTemplate(dir);
}

describe("a preview that follows you", () => {
  /** @type {Session} */
  let s;

  before(async () => {
    s = await Session.start({ project: fillProject, starters: path.join(REPO, "templates") });
    await s.firstPreview(20_000);
  });

  after(async () => {
    await s?.stop();
  });

  /** The scroll position of a view of the preview, and how far it can go. */
  const scrollOf = (id = "preview-frame") =>
    s.browser.execute((sel) => {
      const v = document.querySelector(sel);
      return { top: v.scrollTop, max: v.scrollHeight - v.clientHeight };
    }, `[data-testid="${id}-scroll"]`);
  const scrollTo = (top, id = "preview-frame") =>
    s.browser.execute(
      (sel, y) => {
        document.querySelector(sel).scrollTop = y;
      },
      `[data-testid="${id}-scroll"]`,
      top,
    );
  /** The line of the cursor in the editor, and the file open. */
  const cursor = () =>
    s.browser.execute(() => ({
      line: Number(document.querySelector("[data-testid=editor] .cm-lineNumbers .cm-activeLineGutter")?.textContent),
      path: document.querySelector(".file-tab.active")?.getAttribute("data-path"),
    }));
  /** Clicks, like a person, the innermost element of the preview whose text is `text`. */
  async function clickInPreview(text) {
    const point = await s.browser.execute((wanted) => {
      const frame = document.querySelector("[data-testid=preview-frame]");
      const doc = frame.contentDocument;
      const all = [...doc.body.querySelectorAll("*")].filter((e) => e.textContent.trim() === wanted);
      const target = all[all.length - 1];
      target.scrollIntoView({ block: "center" });
      // The frame is as tall as the email: scroll the app's view instead, to the element.
      const view = document.querySelector("[data-testid=preview-frame-scroll]");
      const scale = frame.getBoundingClientRect().width / frame.offsetWidth;
      view.scrollTop = Math.max(0, target.getBoundingClientRect().top * scale - view.clientHeight / 2);
      const f = frame.getBoundingClientRect();
      const r = target.getBoundingClientRect();
      return {
        x: Math.round(f.left + (r.left + Math.min(r.width / 2, 20)) * scale),
        y: Math.round(f.top + (r.top + r.height / 2) * scale),
      };
    }, text);
    await s.browser.action("pointer").move({ x: point.x, y: point.y, origin: "viewport" }).down().up().perform();
  }

  it("keeps the scroll position when an edit at the bottom of a long template repaints it", async (t) => {
    if (!fs.existsSync(LARGE)) return t.skip("the official MJML templates are not next to the project");
    await s.afterNewPreview(() => s.clickTestid("template-ugg-royale"));
    const { max } = await scrollOf();
    assert.ok(max > 1000, `the template is long (${max} px to scroll)`);
    // The cursor first (moving it to another element brings that element into view), then the view.
    await s.cursorAfter("123 North Leroux Street");
    await scrollTo(max - 300);
    await new Promise((r) => setTimeout(r, 300));
    const before = await scrollOf();
    assert.equal(before.top, max - 300);
    for (const key of [" ", "S", "u", "i", "t", "e", " ", "9"]) {
      const count = await s.renderedCount();
      await s.browser.keys([key]);
      await s.waitFor(async () => (await s.renderedCount()) > count, 15_000, "the preview after a keystroke");
      const now = await scrollOf();
      assert.ok(Math.abs(now.top - before.top) <= 1, `the view stays at ${before.top} px (now ${now.top} px)`);
    }
    assert.match(await s.previewText(), /Leroux Street Suite 9/);
    await s.screenshot("30-scroll-kept-after-edit");
  });

  it("keeps the scroll position across data sets, colour modes and widths", async () => {
    await s.afterNewPreview(() => s.clickTestid(`template-${TEMPLATE}`));
    await s.clickTestid("width-mobile");
    await s.waitFor(async () => (await scrollOf()).max > 400, 5000, "a scrollable mobile view");
    await scrollTo(400);
    const at = (await scrollOf()).top;
    assert.equal(at, 400);
    await s.afterNewPreview(async () => {
      await s.browser.$("[data-testid=data-set-select]").selectByAttribute("value", "es");
    });
    assert.match(await s.previewText(), /Elige una contraseña nueva/);
    assert.equal((await scrollOf()).top, at, "another data set keeps the position");
    for (const mode of ["dark", "inverted", "light"]) {
      await s.afterNewPreview(() => s.clickTestid(`color-${mode}`));
      assert.equal((await scrollOf()).top, at, `the ${mode} mode keeps the position`);
    }
    // The HTML tab and back.
    await s.clickTestid("tab-html");
    await s.clickTestid("tab-preview");
    await s.waitFor(async () => (await scrollOf()).top === at, 5000, "the position back after another tab");
    // Another width lays the email out anew: the same part of it stays in view.
    const ratio = at / (await scrollOf()).max;
    await s.clickTestid("width-desktop");
    const desktop = await scrollOf();
    assert.ok(
      Math.abs(desktop.top / desktop.max - ratio) < 0.02,
      `the same part stays in view (${ratio} → ${desktop.top / desktop.max})`,
    );
    await s.afterNewPreview(async () => {
      await s.browser.$("[data-testid=data-set-select]").selectByAttribute("value", "default");
    });
    await scrollTo(0);
  });

  it("puts the cursor on the MJML element that wrote what is clicked in the preview", async () => {
    await clickInPreview("Choose a new password");
    await s.waitFor(async () => (await cursor()).line === 13, 5000, "the cursor on the heading's line");
    assert.equal((await cursor()).path, `${TEMPLATE}/template.mjml`);
    await clickInPreview("Reset password");
    await s.waitFor(async () => (await cursor()).line === 16, 5000, "the cursor on the button's line");
    // The HTML inside an mj-table is marked too: a cell leads to its own line.
    await clickInPreview("Device");
    await s.waitFor(async () => (await cursor()).line === 25, 5000, "the cursor on the cell's line");
  });

  it("opens the partial when what is clicked comes from one", async () => {
    await clickInPreview("Alder Labs, Inc. · 2100 Mission Street, Suite 400 · San Francisco, CA 94110");
    await s.waitFor(async () => (await cursor()).path === "partials/footer.mjml", 5000, "the footer partial to open");
    await s.waitFor(async () => (await cursor()).line === 5, 5000, "the cursor on the footer's address line");
    // The preview still shows the template, not a partial on its own.
    assert.match(await s.previewText(), /Choose a new password/);
    await s.screenshot("31-click-opens-partial");
  });

  it("does not follow a link that is clicked in the preview", async () => {
    const url = await s.browser.getUrl();
    await clickInPreview("Help center");
    await s.waitFor(async () => (await cursor()).line === 4, 5000, "the cursor on the links' line");
    assert.equal(await s.browser.getUrl(), url);
    assert.match(await s.previewText(), /Choose a new password/, "the frame still shows the email");
  });

  it("outlines in the preview what the MJML under the cursor wrote", async () => {
    const outlined = () =>
      s.browser.execute(() => {
        const doc = document.querySelector("[data-testid=preview-frame]").contentDocument;
        return [...doc.querySelectorAll("[data-lp-outline]")].map((e) => e.textContent.replace(/\s+/g, " ").trim());
      });
    // In the partial that is open, the first line of text.
    await s.cursorAfter("{{footer.reason}}");
    await s.waitFor(
      async () => (await outlined()).some((t) => t.includes("password reset was requested")),
      5000,
      "the footer's reason outlined",
    );
    await s.clickTestid(`template-${TEMPLATE}`);
    await s.waitFor(async () => (await cursor()).path === `${TEMPLATE}/template.mjml`, 5000, "the template to open");
    await s.cursorAfter("{{text.button}}");
    await s.waitFor(
      async () => {
        const list = await outlined();
        return list.length > 0 && list.every((t) => t === "Reset password");
      },
      5000,
      "the button outlined",
    );
    await s.screenshot("32-cursor-outlines-button");
    await s.cursorAfter("{{text.heading}}</mj-text>");
    await s.waitFor(async () => (await outlined()).join() === "Choose a new password", 5000, "the heading outlined");
  });

  it("shows desktop and mobile side by side, scrolling together", async (t) => {
    if (!fs.existsSync(LARGE)) return t.skip("the official MJML templates are not next to the project");
    await s.afterNewPreview(() => s.clickTestid("template-ugg-royale"));
    await s.clickTestid("compare-widths");
    await s.waitFor(
      async () =>
        (
          await s.browser.execute(
            () => document.querySelector("[data-testid=compare-frame]")?.contentDocument?.body?.innerText ?? "",
          )
        ).includes("Privacy Policy"),
      10_000,
      "the mobile view beside",
    );
    const widths = await s.browser.execute(() =>
      ["preview-frame", "compare-frame"].map((id) => document.querySelector(`[data-testid=${id}]`).offsetWidth),
    );
    assert.deepEqual(widths, [800, 375]);
    const main = await scrollOf();
    await scrollTo(Math.round(main.max / 2));
    await s.waitFor(
      async () => {
        const other = await scrollOf("compare-frame");
        return other.max > 0 && Math.abs(other.top / other.max - 0.5) < 0.02;
      },
      5000,
      "the mobile view to follow to the middle",
    );
    // And the other way round.
    const other = await scrollOf("compare-frame");
    await scrollTo(other.max, "compare-frame");
    await s.waitFor(
      async () => {
        const m = await scrollOf();
        return Math.abs(m.top - m.max) <= 2;
      },
      5000,
      "the desktop view to follow to the end",
    );
    await scrollTo(0);
    await s.screenshot("33-side-by-side-widths");
  });

  it("shows two data sets side by side", async () => {
    await s.afterNewPreview(() => s.clickTestid(`template-${TEMPLATE}`));
    await s.clickTestid("width-mobile");
    await s.clickTestid("compare-data");
    const beside = () =>
      s.browser.execute(
        () => document.querySelector("[data-testid=compare-frame]")?.contentDocument?.body?.innerText ?? "",
      );
    await s.browser.$("[data-testid=compare-data-set]").selectByAttribute("value", "es");
    await s.waitFor(
      async () => (await beside()).includes("Elige una contraseña nueva"),
      10_000,
      "the Spanish view beside",
    );
    assert.match(await s.previewText(), /Choose a new password/);
    assert.match(await s.text("compare-frame-caption"), /es/);
    const main = await scrollOf();
    await scrollTo(main.max);
    await s.waitFor(
      async () => {
        const o = await scrollOf("compare-frame");
        return o.max > 0 && Math.abs(o.top - o.max) <= 2;
      },
      5000,
      "the Spanish view to follow to the end",
    );
    await scrollTo(0);
    // A click in the view beside also leads to the source.
    await s.screenshot("34-side-by-side-data-sets");
    await s.clickTestid("compare-off");
    await s.clickTestid("width-desktop");
    assert.equal(
      await s.browser.execute(
        () => document.querySelector("[data-testid=compare-frame]").closest(".frame-column").hidden,
      ),
      true,
    );
  });

  it("patches an edit of the content into the shown document, the same as loading it whole", async () => {
    /** The body of the shown email as markup, without the app's own outline mark. */
    const body = () =>
      s.browser.execute(() => {
        const copy = document.querySelector("[data-testid=preview-frame]").contentDocument.body.cloneNode(true);
        for (const e of copy.querySelectorAll("[data-lp-outline]")) e.removeAttribute("data-lp-outline");
        return copy.innerHTML;
      });
    const shownBy = () =>
      s.browser.execute(
        () => document.querySelector("[data-testid=preview-frame]").closest(".frame-column").dataset.shownBy,
      );
    await s.browser.execute(() => {
      document.querySelector("[data-testid=preview-frame]").contentDocument.lpProbe = "kept";
    });
    // An edit that adds elements in the middle of the email, not only text.
    const count = await s.renderedCount();
    await s.replaceAll("<strong>{{email}}</strong>.", "<strong>{{email}}</strong>. <em>Patched</em> in place.");
    await s.waitFor(
      async () => (await s.renderedCount()) > count && /Patched in place/.test(await s.previewText()),
      15_000,
      "the preview after the edit",
    );
    assert.equal(await shownBy(), "patch");
    assert.equal(
      await s.browser.execute(() => document.querySelector("[data-testid=preview-frame]").contentDocument.lpProbe),
      "kept",
      "the same document, patched",
    );
    assert.match(await s.previewText(), /Patched in place\./);
    const patched = await body();
    // Another colour mode and back loads the same email whole, parsed by the engine itself.
    await s.afterNewPreview(() => s.clickTestid("color-dark"));
    await s.afterNewPreview(() => s.clickTestid("color-light"));
    assert.equal(await shownBy(), "load");
    assert.equal(await body(), patched, "the patched document is the one loading the HTML makes");
    // And removing the edit patches back.
    const again = await s.renderedCount();
    await s.replaceAll(". <em>Patched</em> in place.", ".");
    await s.waitFor(
      async () => (await s.renderedCount()) > again && !/Patched/.test(await s.previewText()),
      15_000,
      "the preview after undoing the edit",
    );
    assert.equal(await shownBy(), "patch");
  });
});
