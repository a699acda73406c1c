// Sending tests from the real app: to the local outbox and into the inbox view, the history that
// records every send, a profile whose server is not there, and re-sending a past message.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

import { select, typeInto } from "../lib/forms.mjs";
import { FIXTURES, Session, copyDir, freePort, previewShown, sessionHooks } from "../lib/harness.mjs";
import {
  closeProfiles,
  confirmSend,
  fillLocalProfile,
  historyOutcome,
  historyRows,
  historyStatus,
  messageShows,
  openProfiles,
  openSendDialog,
  saveProfile,
  testConnection,
} from "../lib/sending.mjs";

describe("sending tests", () => {
  /** @type {Session} */
  let s;
  sessionHooks(previewShown, (session) => {
    s = session;
  });

  it("starts with empty inbox and history views that say how to fill them", async () => {
    await s.clickTestid("view-inbox");
    await s.waitFor(
      async () => (await s.text("inbox-empty"))?.includes("No messages yet — send a test to see it here"),
      10_000,
      "the inbox's empty state",
    );
    await s.screenshot("20-inbox-empty");
    await s.clickTestid("view-history");
    await s.waitFor(
      async () => (await s.text("history-empty-state"))?.includes("No sends yet"),
      10_000,
      "the history's empty state",
    );
    await s.clickTestid("view-design");
    assert.equal(await s.testid("editor").isDisplayed(), true);
  });

  it("sends the open template to the local outbox from the send dialog", async () => {
    // The shortcut opens the dialog, as the button does.
    await s.click("[data-testid=editor] .cm-content");
    await s.browser.keys(["Control", "Enter"]);
    await s.waitFor(() => s.testid("send-dialog").isDisplayed(), 10_000, "the send dialog");
    assert.equal(await s.text("send-what"), "receipt · default");
    assert.equal(
      await s.browser.execute(() => document.querySelector("[data-testid=send-target]").value),
      "outbox",
      "the outbox is the default target",
    );
    await typeInto(s, "send-recipients", "ada@example.test, not-an-address");
    await s.waitFor(async () => (await s.text("send-problem"))?.includes("missing an @"), 5000, "the address problem");
    await typeInto(s, "send-recipients", "ada@example.test, Bob <bob@example.test>");
    await s.waitFor(async () => (await s.text("send-problem")) === "", 5000, "the problem to clear");
    await s.screenshot("21-send-dialog");
    const { status, text: result } = await confirmSend(s);
    assert.equal(status, "sent", result);
    assert.match(result, /Sent to ada@example\.test, Bob <bob@example\.test> via Local outbox\./);
    await s.screenshot("22-send-dialog-sent");

    const files = fs.readdirSync(path.join(s.dataDir, "outbox")).filter((f) => f.endsWith(".eml"));
    assert.equal(files.length, 1, "the message is an .eml file in the shared data folder");
    const raw = fs.readFileSync(path.join(s.dataDir, "outbox", files[0]), "utf8");
    assert.match(raw, /Subject: Your receipt for order A-1001/);
  });

  it("shows the message in the inbox: rendered in the sandbox, text, headers and source", async () => {
    await s.clickTestid("send-open-inbox");
    await s.waitFor(
      async () => (await s.browser.$$("[data-testid=inbox-item]")).length === 1,
      10_000,
      "one message in the inbox",
    );
    await s.waitFor(
      async () => (await s.text("inbox-subject")) === "Your receipt for order A-1001",
      10_000,
      "the message to open",
    );
    assert.equal(await s.testid("inbox-frame").getAttribute("sandbox"), "", "the frame allows nothing");
    await messageShows(s, "inbox-frame", /Thanks for your order, Ada/);
    assert.match(await s.frameText("inbox-frame"), /Fountain pen/);
    assert.match(await s.text("inbox-to"), /ada@example\.test, Bob <bob@example\.test>/);
    await s.screenshot("23-inbox-message");

    await s.clickTestid("inbox-tab-text");
    assert.match(await s.text("inbox-text"), /Thanks for your order, Ada/);
    await s.clickTestid("inbox-tab-headers");
    const headers = await s.text("inbox-headers");
    assert.match(headers, /Message-ID/);
    assert.match(headers, /MIME-Version/);
    await s.screenshot("24-inbox-headers");
    await s.clickTestid("inbox-tab-source");
    const source = await s.text("inbox-raw");
    assert.match(source, /Content-Type: multipart\/alternative/);
    assert.match(source, /Subject: Your receipt for order A-1001/);
    await s.clickTestid("inbox-tab-message");
  });

  it("records the send in the history with the exact message and its data", async () => {
    await s.clickTestid("view-history");
    await s.waitFor(async () => (await historyRows(s)).length === 1, 10_000, "one send in the history");
    const [row] = await historyRows(s);
    assert.equal(row.status, "sent");
    assert.match(row.text, /receipt · default/);
    assert.match(row.text, /Stored in the local outbox/);
    await s.screenshot("25-history-stats");
    await s.click(`[data-testid=history-item][data-id="${row.id}"]`);
    await historyOutcome(s, "Stored in the local outbox");
    await messageShows(s, "history-frame", /Thanks for your order, Ada/);
    await s.clickTestid("history-tab-data");
    assert.match(await s.text("history-data"), /"number": "A-1001"/);
    await s.clickTestid("history-tab-message");
  });

  it("sends every data set of the template with one click", async () => {
    await s.clickTestid("view-design");
    await openSendDialog(s);
    // The recipients of the last send are remembered for this project.
    assert.equal(
      await s.browser.execute(() => document.querySelector("[data-testid=send-recipients]").value),
      "ada@example.test, Bob <bob@example.test>",
    );
    await s.clickTestid("send-data-every");
    await s.clickTestid("send-confirm");
    await s.waitFor(
      async () => (await s.browser.$$("[data-testid=send-result][data-status=sent]")).length === 2,
      20_000,
      "both data sets to be sent",
    );
    await s.clickTestid("send-cancel");
    const files = fs.readdirSync(path.join(s.dataDir, "outbox")).filter((f) => f.endsWith(".eml"));
    assert.equal(files.length, 3);
  });

  it("shows a failing SMTP profile's failure in words and records it as failed", async () => {
    // A port nothing listens on.
    const port = await freePort();
    await openProfiles(s);
    await fillLocalProfile(s, "closed-port", port);
    await typeInto(s, "profile-timeout", "10");
    await typeInto(s, "profile-sender", "Letterpress Tests <tests@example.test>");
    const test = await testConnection(s, 20_000);
    assert.equal(test.ok, false, test.text);
    assert.match(test.text, /Could not connect to the server/);
    await s.screenshot("26-profile-test-failed");
    await saveProfile(s, "closed-port");
    assert.match(fs.readFileSync(path.join(s.dataDir, "profiles.toml"), "utf8"), /name = "closed-port"/);
    await closeProfiles(s);

    await select(s, "send-target", "profile:closed-port");
    await s.clickTestid("send-data-one");
    const { status, text: result } = await confirmSend(s, 30_000);
    assert.equal(status, "failed", result);
    assert.match(result, /Could not connect to the server/);
    assert.match(result, /Worth trying again later/);
    assert.doesNotMatch(result, /[{}[\]]/, "no raw JSON");
    await s.screenshot("27-send-failed");
    await s.clickTestid("send-open-history");
    await s.waitFor(async () => (await historyRows(s)).some((r) => r.status === "failed"), 10_000, "a failed row");
    const failed = (await historyRows(s)).find((r) => r.status === "failed");
    assert.match(failed.text, /closed-port/);
    await historyStatus(s, "failed");
    await s.screenshot("28-history-failed");

    await select(s, "history-status", "failed");
    await s.waitFor(
      async () => (await historyRows(s)).every((r) => r.status === "failed"),
      10_000,
      "only failed sends",
    );
    assert.equal((await historyRows(s)).length, 1);
    await select(s, "history-status", "all");
    await s.waitFor(async () => (await historyRows(s)).length === 4, 10_000, "every send again");
    await typeInto(s, "history-search", "long-values");
    await s.waitFor(async () => (await historyRows(s)).length === 1, 10_000, "the search to narrow the list");
    assert.match((await historyRows(s))[0].text, /receipt · long-values/);
    await typeInto(s, "history-search", "");
  });

  it("re-sends a past message to a new recipient as a new history row", async () => {
    await s.waitFor(async () => (await historyRows(s)).length === 4, 10_000, "every send");
    const first = (await historyRows(s)).at(-1);
    await s.click(`[data-testid=history-item][data-id="${first.id}"]`);
    await historyOutcome(s, "Stored in the local outbox");
    await s.clickTestid("history-resend");
    await s.waitFor(() => s.testid("resend-dialog").isDisplayed(), 10_000, "the resend dialog");
    await typeInto(s, "resend-recipients", "carol@example.test");
    await s.screenshot("29-resend-dialog");
    await s.clickTestid("resend-confirm");
    await s.waitFor(async () => (await historyRows(s)).length === 5, 15_000, "a new history row");
    const newest = (await historyRows(s))[0];
    assert.equal(newest.status, "sent");
    assert.match(newest.text, /carol@example\.test/);

    // The outbox holds the same message again, with Resent headers on top.
    await s.clickTestid("view-inbox");
    await s.waitFor(async () => (await s.browser.$$("[data-testid=inbox-item]")).length === 4, 10_000, "four messages");
    await s.waitFor(
      async () => (await s.text("inbox-resent-to")) === "carol@example.test",
      10_000,
      "the resend to open",
    );
    assert.match(await s.text("inbox-list"), /Sent again to carol@example\.test/);
    await s.clickTestid("inbox-tab-headers");
    const headers = await s.text("inbox-headers");
    assert.match(headers, /Resent-To\s*carol@example\.test/);
    await s.clickTestid("inbox-tab-message");
    await s.clickTestid("view-design");
  });

  it("reads well in the app's dark theme", async () => {
    await s.clickTestid("view-history");
    const theme = () => s.browser.execute(() => document.documentElement.dataset.theme);
    for (let i = 0; i < 3 && (await theme()) !== "dark"; i++) await s.clickTestid("theme-toggle");
    assert.equal(await theme(), "dark");
    const failed = (await historyRows(s)).find((r) => r.status === "failed");
    await s.click(`[data-testid=history-item][data-id="${failed.id}"]`);
    await historyStatus(s, "failed");
    await s.screenshot("35-history-dark");
    await s.clickTestid("view-inbox");
    await s.waitFor(async () => (await s.browser.$$("[data-testid=inbox-item]")).length === 4, 10_000, "the inbox");
    await s.screenshot("36-inbox-dark");
    while (
      (await s.browser.execute(() => document.querySelector("[data-testid=theme-toggle]").dataset.theme)) !== "system"
    )
      await s.clickTestid("theme-toggle");
    await s.clickTestid("view-design");
  });
});

describe("sends that cannot be made", () => {
  /** @type {Session} */
  let s;
  sessionHooks(previewShown, (session) => {
    s = session;
  });

  /** Sends the open template to `target` and gives back the result row's status and text. */
  async function sendTo(target) {
    await openSendDialog(s);
    await select(s, "send-target", target);
    await typeInto(s, "send-recipients", "ada@example.test");
    return confirmSend(s);
  }

  const outbox = () => {
    const folder = path.join(s.dataDir, "outbox");
    return fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith(".eml")) : [];
  };

  it("refuses a template with errors in words, and sends nothing", async () => {
    await s.afterNewPreview(() => s.replaceAll("mj-column", "mj-colunm"));
    await s.waitFor(async () => (await s.problems("mjml-invalid")).length > 0, 10_000, "the template's error");
    const { status, text } = await sendTo("outbox");
    assert.equal(status, "error", text);
    assert.match(text, /“receipt\/default” has errors and was not sent\./);
    assert.doesNotMatch(text, /[{}[\]]|Error\(/, "no raw error");
    await s.screenshot("41-send-refused-errors");
    assert.deepEqual(outbox(), [], "nothing reached the outbox");
    await s.clickTestid("send-cancel");
    await s.afterNewPreview(() => s.replaceAll("mj-colunm", "mj-column"));
  });

  it("says where to set a From address when neither the profile nor the project has one", async () => {
    await openProfiles(s);
    await fillLocalProfile(s, "no-sender", 2525);
    await saveProfile(s, "no-sender");
    await closeProfiles(s);
    await s.clickTestid("send-cancel");

    const { status, text } = await sendTo("profile:no-sender");
    assert.equal(status, "error", text);
    assert.match(text, /No From address: set the profile's “sender”, or set “mail\.from” in “letterpress\.toml”\./);
    await s.screenshot("42-send-no-from");
    await s.clickTestid("send-cancel");
  });
});

describe("a hostile message in the inbox and the history", () => {
  /** @type {Session} */
  let s;
  let appUrl;
  sessionHooks(
    () =>
      Session.start({
        project: (dir) => {
          copyDir(path.join(FIXTURES, "project"), dir);
          copyDir(path.join(FIXTURES, "hostile"), path.join(dir, "hostile"));
          // A local image that does not exist cannot be embedded, so the send would stop there; a
          // `cid:` reference that leads nowhere still fires `onerror` in a reader.
          const mjml = path.join(dir, "hostile/template.mjml");
          fs.writeFileSync(
            mjml,
            fs.readFileSync(mjml, "utf8").replace('src="x-broken-image"', 'src="cid:missing-image"'),
          );
          // `javascript:` links are errors, which stop a send; this project lowers them to warnings
          // so that the message goes out as it is written and the reader's sandbox is what is tested.
          fs.appendFileSync(path.join(dir, "letterpress.toml"), '\n[checks]\njavascript-link = "warning"\n');
        },
      }),
    async (session) => {
      s = session;
      appUrl = await s.browser.getUrl();
      await s.clickTestid("template-hostile");
      await s.waitFor(async () => (await s.previewText()).includes("Hostile content"), 15_000, "the hostile preview");
    },
  );

  const pwned = () => fs.readdirSync(s.project).filter((name) => name.startsWith("pwned"));
  const marker = () => s.browser.execute(() => document.body.getAttribute("data-pwned"));

  it("is sent as it is and shown without running any of it", async () => {
    await openSendDialog(s);
    await typeInto(s, "send-recipients", "ada@example.test");
    const { status, text } = await confirmSend(s);
    assert.equal(status, "sent", text);
    const raw = fs.readFileSync(
      path.join(s.dataDir, "outbox", fs.readdirSync(path.join(s.dataDir, "outbox"))[0]),
      "utf8",
    );
    assert.match(raw, /<script>/, "the message holds the scripts it was written with");

    await s.clickTestid("send-open-inbox");
    await messageShows(s, "inbox-frame", /Hostile content/);
    assert.equal(await s.testid("inbox-frame").getAttribute("sandbox"), "");
    const frame = await s.testid("inbox-frame");
    await s.browser.switchFrame(frame);
    try {
      for (const selector of ["#js-link", "#top-link"]) await (await s.browser.$(selector)).click();
    } finally {
      await s.leaveFrame();
    }
    await s.clickTestid("view-history");
    await s.waitFor(
      async () => (await s.browser.$$("[data-testid=history-item]")).length === 1,
      10_000,
      "the send in the history",
    );
    await s.click("[data-testid=history-item]");
    await messageShows(s, "history-frame", /Hostile content/);
    assert.equal(await s.testid("history-frame").getAttribute("sandbox"), "");
    // Give anything that could run (timers, image errors, the refresh) time to try.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await marker(), null, "no script wrote into the app's document");
    assert.deepEqual(pwned(), [], "no script reached the app's commands");
    assert.equal(await s.browser.getUrl(), appUrl, "nothing navigated the app");
    assert.equal(await s.browser.getTitle(), "project — Letterpress");
    await s.clickTestid("view-design");
  });
});
