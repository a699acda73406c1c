// The designer's loop in the real app: open the project, edit MJML and watch the preview follow,
// switch data sets, see errors where they are, and stay in step with edits made elsewhere.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { Session } from "../lib/harness.mjs";

describe("editing a project", () => {
  /** @type {Session} */
  let s;

  before(async () => {
    s = await Session.start();
  });

  after(async () => {
    await s?.stop();
  });

  it("opens the project with its templates, the first one in the editor and previewed", async () => {
    await s.waitFor(async () => (await s.text("project-button")) === "project", 10_000, "the project name");
    const names = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-template]")].map((li) => li.getAttribute("data-template")),
    );
    assert.deepEqual(names, ["receipt", "welcome"]);
    await s.firstPreview();
    const text = await s.previewText();
    assert.match(text, /Thanks for your order, Ada/);
    assert.match(text, /Fountain pen/);
    assert.equal(await s.text("preview-subject"), "Your receipt for order A-1001");
    await s.screenshot("01-receipt-light");
  });

  it("updates the preview while typing, before anything is saved", async () => {
    await s.clickTestid("template-welcome");
    await s.waitFor(async () => (await s.previewText()).includes("Hello Ada,"), 15_000, "the welcome preview");
    const text = await s.afterNewPreview(() => s.replaceAll("Hello {{name}},", "Howdy {{name}}!"));
    assert.match(text, /Howdy Ada!/);
    assert.equal(await s.text("save-state"), "1 unsaved");
    // Nothing reached the disk yet.
    const onDisk = fs.readFileSync(path.join(s.project, "welcome/template.mjml"), "utf8");
    assert.match(onDisk, /Hello \{\{name\}\},/);
    await s.screenshot("02-welcome-edited");
  });

  it("saves with Ctrl+S, atomically and without reporting its own save as a change", async () => {
    await s.click("[data-testid=editor] .cm-content");
    await s.browser.keys(["Control", "s"]);
    await s.waitFor(async () => (await s.text("save-state")) === "All changes saved", 10_000, "the save");
    const onDisk = fs.readFileSync(path.join(s.project, "welcome/template.mjml"), "utf8");
    assert.match(onDisk, /Howdy \{\{name\}\}!/);
    const leftovers = fs.readdirSync(path.join(s.project, "welcome")).filter((f) => f.startsWith("."));
    assert.deepEqual(leftovers, []);
    // Give the watcher time to report; the app's own save must not raise a conflict or reload.
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await s.testid("conflict-banner").isDisplayed(), false);
    assert.equal(await s.text("save-state"), "All changes saved");
  });

  it("switches data sets from the preview toolbar", async () => {
    const text = await s.afterNewPreview(() => s.testid("data-set-select").selectByAttribute("value", "es"));
    assert.match(text, /Howdy Inés!/);
    assert.match(text, /Tu cuenta está lista/);
    assert.equal(await s.text("preview-subject"), "Bienvenida a Acme, Inés");
    await s.screenshot("03-welcome-es");
    await s.afterNewPreview(() => s.testid("data-set-select").selectByAttribute("value", "default"));
  });

  it("shows an MJML error inline and in the problems panel at the right line", async () => {
    await s.afterNewPreview(() => s.replaceAll("<mj-text>{{body}}</mj-text>", "<mj-text {{body}}</mj-text>"));
    await s.waitFor(async () => (await s.problems("mjml-syntax")).length > 0, 10_000, "an mjml-syntax problem");
    const [problem] = await s.problems("mjml-syntax");
    assert.equal(await problem.getAttribute("data-file"), "welcome/template.mjml");
    assert.equal(await problem.getAttribute("data-line"), "16");
    const marks = await s.browser.$$("[data-testid=editor] .cm-lintRange-error");
    assert.ok(marks.length > 0, "the error is underlined in the editor");
    assert.equal(await s.testid("preview-notice").isDisplayed(), true);
    await s.screenshot("04-mjml-error");
    // Undo puts the document back as it was on disk.
    await s.click("[data-testid=editor] .cm-content");
    await s.afterNewPreview(() => s.browser.keys(["Control", "z"]));
    await s.waitFor(async () => (await s.problems("mjml-syntax")).length === 0, 10_000, "the error to go away");
  });

  it("jumps from a problem in a partial into that partial", async () => {
    // A missing variable in the footer partial, reported against the partial's own line.
    const data = path.join(s.project, "welcome/data/default.json");
    const original = fs.readFileSync(data, "utf8");
    const without = JSON.parse(original);
    delete without.footer_note;
    fs.writeFileSync(data, JSON.stringify(without, null, 2));
    await s.waitFor(async () => (await s.problems("missing-variable")).length > 0, 10_000, "the missing variable");
    const [problem] = await s.problems("missing-variable");
    assert.equal(await problem.getAttribute("data-file"), "partials/footer.mjml");
    await problem.click();
    await s.waitFor(
      async () => (await s.testid("tab-partials/footer.mjml").getAttribute("aria-selected")) === "true",
      10_000,
      "the partial to open",
    );
    assert.match(await s.editorText(), /\{\{footer_note\}\}/);
    await s.waitFor(
      async () => /Previewing partials\/footer.mjml inside welcome/.test(await s.text("preview-notice")),
      10_000,
      "the partial's preview note",
    );
    await s.screenshot("05-partial-problem");
    fs.writeFileSync(data, original);
    await s.waitFor(async () => (await s.problems("missing-variable")).length === 0, 10_000, "the variable to be back");
  });

  it("picks up an edit made in another editor within a second", async () => {
    await s.clickTestid("template-welcome");
    await s.waitFor(
      async () => (await s.testid("tab-welcome/template.mjml").getAttribute("aria-selected")) === "true",
      5000,
      "the template tab",
    );
    const file = path.join(s.project, "welcome/template.mjml");
    const edited = fs.readFileSync(file, "utf8").replace("Howdy {{name}}!", "Greetings {{name}}.");
    // Save by rename, as many editors do.
    const temp = path.join(s.project, "welcome/.template.mjml.swp");
    const started = Date.now();
    fs.writeFileSync(temp, edited);
    fs.renameSync(temp, file);
    await s.waitFor(
      async () => (await s.editorText()).includes("Greetings {{name}}."),
      5000,
      "the editor to show the external edit",
    );
    await s.waitFor(
      async () => (await s.previewText()).includes("Greetings Ada."),
      5000,
      "the preview to show the external edit",
    );
    const elapsed = Date.now() - started;
    console.log(`external edit visible after ${elapsed} ms`);
    assert.equal(await s.text("save-state"), "All changes saved");
  });

  it("raises a conflict instead of overwriting unsaved work, and keeps mine on request", async () => {
    await s.afterNewPreview(() => s.replaceAll("Greetings {{name}}.", "Mine {{name}}."));
    const file = path.join(s.project, "welcome/template.mjml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Greetings {{name}}.", "Theirs {{name}}."));
    await s.waitFor(async () => s.testid("conflict-banner").isDisplayed(), 5000, "the conflict banner");
    assert.match(await s.editorText(), /Mine \{\{name\}\}\./);
    assert.match(await s.text("save-state"), /1 conflict/);
    await s.screenshot("06-conflict");

    // Compare shows both sides.
    await s.clickTestid("conflict-compare");
    await s.testid("compare-dialog").waitForDisplayed({ timeout: 5000 });
    const sides = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=compare-dialog] .cm-content")].map((c) => c.textContent),
    );
    assert.equal(sides.length, 2);
    assert.match(sides[0], /Mine \{\{name\}\}\./);
    assert.match(sides[1], /Theirs \{\{name\}\}\./);
    await s.screenshot("07-compare");
    await s.clickTestid("compare-mine");
    await s.waitFor(async () => fs.readFileSync(file, "utf8").includes("Mine {{name}}."), 5000, "my version on disk");
    assert.equal(await s.testid("conflict-banner").isDisplayed(), false);
    assert.equal(await s.text("save-state"), "All changes saved");
  });

  it("takes theirs on request", async () => {
    await s.afterNewPreview(() => s.replaceAll("Mine {{name}}.", "Draft {{name}}."));
    const file = path.join(s.project, "welcome/template.mjml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Mine {{name}}.", "Final {{name}}."));
    await s.waitFor(async () => s.testid("conflict-banner").isDisplayed(), 5000, "the conflict banner");
    await s.clickTestid("conflict-theirs");
    await s.waitFor(
      async () => (await s.editorText()).includes("Final {{name}}."),
      5000,
      "their version in the editor",
    );
    assert.equal(await s.text("save-state"), "All changes saved");
  });

  it("creates a template from a starter, renames, duplicates and deletes it", async () => {
    await s.clickTestid("new-template");
    await s.testid("new-template-dialog").waitForDisplayed({ timeout: 5000 });
    await s.click("[data-starter=receipt]");
    const input = await s.testid("name-input");
    await input.setValue("order-receipt");
    await s.screenshot("08-new-template");
    await s.clickTestid("name-confirm");
    await s.waitFor(
      async () => fs.existsSync(path.join(s.project, "order-receipt/template.mjml")),
      5000,
      "the new template on disk",
    );
    await s.waitFor(
      async () => (await s.previewText()).includes("Thanks for your order"),
      10_000,
      "the new template's preview",
    );
    assert.deepEqual(fs.readdirSync(path.join(s.project, "order-receipt/data")).sort(), [
      "default.json",
      "long-values.json",
    ]);

    await s.templateMenu("order-receipt");
    await s.click("[data-testid=template-actions] [data-id=rename]");
    const rename = await s.testid("name-input");
    await rename.setValue("receipt-v2");
    await s.clickTestid("name-confirm");
    await s.waitFor(
      async () => fs.existsSync(path.join(s.project, "receipt-v2/template.mjml")),
      5000,
      "the renamed folder",
    );
    assert.equal(fs.existsSync(path.join(s.project, "order-receipt")), false);

    await s.templateMenu("receipt-v2");
    await s.click("[data-testid=template-actions] [data-id=duplicate]");
    await s.clickTestid("name-confirm");
    await s.waitFor(async () => fs.existsSync(path.join(s.project, "receipt-v2-copy/template.mjml")), 5000, "the copy");

    for (const name of ["receipt-v2-copy", "receipt-v2"]) {
      await s.templateMenu(name);
      await s.click("[data-testid=template-actions] [data-id=delete]");
      await s.testid("confirm-dialog").waitForDisplayed({ timeout: 5000 });
      await s.click("[data-testid=confirm-dialog] [data-choice=confirm]");
      await s.waitFor(async () => !fs.existsSync(path.join(s.project, name)), 5000, `${name} to be deleted`);
    }
    // The folder goes first; the list follows when the app has the command's answer.
    const names = () =>
      s.browser.execute(() =>
        [...document.querySelectorAll("[data-template]")].map((li) => li.getAttribute("data-template")).join(","),
      );
    await s.waitFor(async () => (await names()) === "receipt,welcome", 5000, "the list without the deleted templates");
  });

  it("adds a data set and switches to it with the keyboard", async () => {
    await s.clickTestid("template-welcome");
    await s.clickTestid("data-set-menu");
    await s.click("[data-testid=data-set-actions] [data-id=duplicate]");
    const input = await s.testid("name-input");
    await input.setValue("long-values");
    await s.clickTestid("name-confirm");
    await s.waitFor(
      async () => fs.existsSync(path.join(s.project, "welcome/data/long-values.json")),
      5000,
      "the new data set",
    );
    await s.waitFor(
      async () => (await s.testid("tab-welcome/data/long-values.json").getAttribute("aria-selected")) === "true",
      5000,
      "the data set in the editor",
    );

    await s.browser.keys(["Control", "Shift", "d"]);
    await s.testid("data-set-picker").waitForDisplayed({ timeout: 5000 });
    await s.browser.keys(["e", "s", "Enter"]);
    await s.waitFor(
      async () =>
        (await s.browser.execute(() => document.querySelector("[data-testid=data-set-select]").value)) === "es",
      5000,
      "the es data set",
    );
    await s.waitFor(async () => (await s.previewText()).includes("Inés"), 10_000, "the Spanish preview");
  });

  it("warns when the message grows past Gmail's clipping limit", async () => {
    // A data set with a very long body, written by another program.
    const data = JSON.parse(fs.readFileSync(path.join(s.project, "welcome/data/default.json"), "utf8"));
    data.body = "All work and no play makes a long email. ".repeat(2800);
    fs.writeFileSync(path.join(s.project, "welcome/data/huge.json"), JSON.stringify(data, null, 2));
    await s.waitFor(
      async () =>
        s.browser.execute(() =>
          [...document.querySelectorAll("[data-testid=data-set-select] option")].some((o) => o.value === "huge"),
        ),
      5000,
      "the new data set in the list",
    );
    await s.afterNewPreview(() => s.testid("data-set-select").selectByAttribute("value", "huge"));
    assert.ok(Number(await s.testid("message-size").getAttribute("data-bytes")) > 102 * 1024);
    assert.equal(await s.text("gmail-clip"), "Gmail will clip this message");
    await s.screenshot("18-gmail-clipping");
    fs.rmSync(path.join(s.project, "welcome/data/huge.json"));
    await s.waitFor(
      async () =>
        (await s.browser.execute(() => document.querySelector("[data-testid=data-set-select]").value)) === "default",
      5000,
      "the first data set in its place",
    );
    await s.afterNewPreview(() => s.testid("data-set-select").selectByAttribute("value", "es"));
  });

  it("shows an invalid data set as a JSON error at its position", async () => {
    await s.clickTestid("data-set-menu");
    await s.click("[data-testid=data-set-actions] [data-id=edit]");
    await s.waitFor(
      async () => (await s.testid("tab-welcome/data/es.json").getAttribute("aria-selected")) === "true",
      5000,
      "the data tab",
    );
    await s.afterNewPreview(() => s.replaceAll('"name": "Inés",', '"name": "Inés"'));
    await s.waitFor(async () => (await s.problems("json-syntax")).length > 0, 10_000, "the JSON error");
    const [problem] = await s.problems("json-syntax");
    assert.equal(await problem.getAttribute("data-file"), "welcome/data/es.json");
    assert.equal(await problem.getAttribute("data-line"), "5");
    await s.click("[data-testid=editor] .cm-content");
    await s.afterNewPreview(() => s.browser.keys(["Control", "z"]));
  });

  it("offers quick open with Ctrl+P and shows the other views", async () => {
    await s.browser.keys(["Control", "p"]);
    await s.testid("quick-open").waitForDisplayed({ timeout: 5000 });
    await s.browser.keys(["r", "e", "c"]);
    await s.screenshot("09-quick-open");
    await s.browser.keys(["Enter"]);
    await s.waitFor(
      async () => (await s.previewText()).includes("Thanks for your order"),
      10_000,
      "the receipt preview",
    );

    await s.clickTestid("width-mobile");
    await s.screenshot("10-receipt-mobile");
    await s.clickTestid("color-inverted");
    await s.screenshot("11-receipt-inverted");
    await s.clickTestid("color-dark");
    await s.clickTestid("width-desktop");
    await s.clickTestid("tab-html");
    await s.testid("html-source").waitForDisplayed({ timeout: 5000 });
    await s.waitFor(
      async () =>
        (
          await s.browser.execute(
            () => document.querySelector("[data-testid=html-source] .cm-content")?.textContent ?? "",
          )
        ).includes("<html"),
      5000,
      "the HTML source",
    );
    await s.screenshot("12-html-source");
    await s.clickTestid("tab-text");
    assert.match(await s.text("text-part"), /Thanks for your order, Ada/);
    await s.clickTestid("tab-preview");
    await s.clickTestid("color-light");
    const size = Number(await s.testid("message-size").getAttribute("data-bytes"));
    assert.ok(size > 1000, `the size is reported (${size} bytes)`);

    // The app's own dark theme.
    await s.clickTestid("theme-toggle");
    await s.clickTestid("theme-toggle");
    assert.equal(await s.browser.execute(() => document.documentElement.dataset.theme), "dark");
    await s.screenshot("13-app-dark");
    await s.clickTestid("theme-toggle");
  });
});
