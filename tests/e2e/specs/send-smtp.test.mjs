// Sending from the real app through a real SMTP server (STARTTLS and AUTH) with the password in a
// real Secret Service: the password goes to the keyring and never comes back, the connection test
// and the send report what the server said; and without a keyring, the app says so and stores
// the password nowhere.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { select, typeInto } from "../lib/forms.mjs";
import { Session, previewShown, sessionHooks } from "../lib/harness.mjs";
import {
  closeProfiles,
  confirmSend,
  historyOutcome,
  openProfiles,
  saveProfile,
  testConnection,
} from "../lib/sending.mjs";
import { SMTP_PASSWORD, SMTP_USER, SecretService, SmtpServer, ensureServices } from "../lib/services.mjs";

/** Every file under `dir`, read as text. */
function allText(dir) {
  if (!fs.existsSync(dir)) return "";
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath ?? e.path, e.name), "latin1"))
    .join("\n");
}

/** What the shell answers the interface, asked the way the interface asks. */
function rawCommand(s, command, args = {}) {
  return s.browser.execute(
    (c, a) => window.__TAURI_INTERNALS__.invoke(c, a).then((r) => JSON.stringify(r)),
    command,
    args,
  );
}

/** Writes a profile as `letterpress profile add --ca` would: the CA file is picked with the
 * system's file dialog in the app, which a test cannot drive. */
function writeProfile(dataDir, smtp) {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, "profiles.toml"),
    `[[profile]]\nname = "local-tls"\nhost = "127.0.0.1"\nport = ${smtp.port}\nsecurity = "starttls"\nusername = "${SMTP_USER}"\nsender = "Letterpress Tests <tests@example.test>"\ntimeout_secs = 20\nca_file = ${JSON.stringify(smtp.ca)}\n`,
  );
}

describe("sending through a real SMTP server with the password in the keyring", () => {
  /** @type {Session} */
  let s;
  let smtp;
  let keyring;

  before(async () => {
    ensureServices();
    smtp = await SmtpServer.start();
    keyring = await SecretService.start();
    s = await Session.start({ env: { DBUS_SESSION_BUS_ADDRESS: keyring.address } });
    writeProfile(s.dataDir, smtp);
    await s.firstPreview();
  });

  after(async () => {
    await s?.stop();
    await smtp?.stop();
    await keyring?.stop();
  });

  it("puts the password in the keyring and never hands it back", async () => {
    await openProfiles(s);
    await s.waitFor(
      async () =>
        (await s.browser.execute(() => document.querySelector("[data-testid=profile-name]")?.value)) === "local-tls",
      10_000,
      "the profile in the form",
    );
    assert.equal(await s.text("profile-password-state"), "");
    await typeInto(s, "profile-password", SMTP_PASSWORD);
    await s.clickTestid("profile-save");
    await s.waitFor(
      async () => (await s.text("profile-password-state")) === "A password is stored in the system keyring.",
      10_000,
      "the stored password",
    );
    assert.equal(
      await s.browser.execute(() => document.querySelector("[data-testid=profile-password]").value),
      "",
      "the field forgets it",
    );

    const reply = await rawCommand(s, "list_profiles");
    assert.match(reply, /"hasPassword":true/);
    assert.ok(!reply.includes(SMTP_PASSWORD), "no IPC reply holds the password");
    assert.ok(!allText(s.dataDir).includes(SMTP_PASSWORD), "no file in the data folder holds the password");
    assert.ok(!allText(s.project).includes(SMTP_PASSWORD));
    await s.screenshot("37-profile-keyring");
  });

  it("tests the connection: encrypted and logged in with the stored password", async () => {
    const { ok, text: result } = await testConnection(s);
    assert.equal(ok, true, result);
    assert.match(result, /Connected, encrypted and logged in/);
    assert.match(result, /221/);
    await s.screenshot("38-profile-test-ok");

    // A password typed into the form is tried as it is, without saving it.
    await typeInto(s, "profile-password", "not-the-password");
    const refused = await testConnection(s);
    assert.equal(refused.ok, false, refused.text);
    assert.match(refused.text, /The server refused the user name or password \(535\)/);
    await typeInto(s, "profile-password", "");
    await closeProfiles(s);
  });

  it("sends through the server and shows its reply, in the dialog and the history", async () => {
    await select(s, "send-target", "profile:local-tls");
    assert.match(
      await s.text("send-target-hint"),
      /smtp:\/\/tester@127\.0\.0\.1:\d+\?tls=required · from Letterpress Tests/,
    );
    await typeInto(s, "send-recipients", "ada@example.test");
    const { status, text: result } = await confirmSend(s, 30_000);
    assert.equal(status, "sent", result);
    assert.match(result, /Sent to ada@example\.test via local-tls\./);
    assert.match(result, /250 2\.0\.0 Ok: queued as LP0001/);
    await s.screenshot("39-send-smtp");

    const received = smtp.received();
    assert.equal(received.length, 1);
    assert.match(received[0], /Subject: Your receipt for order A-1001/);
    assert.match(received[0], /From: "Letterpress Tests" <tests@example\.test>/);

    await s.clickTestid("send-open-history");
    await historyOutcome(s, "250 2.0.0 Ok: queued as LP0001");
    const [row] = await s.browser.execute(() =>
      [...document.querySelectorAll("[data-testid=history-item]")].map((r) => r.textContent),
    );
    assert.match(row, /local-tls/);
    assert.ok(!allText(s.dataDir).includes(SMTP_PASSWORD), "the history holds no password either");
    await s.clickTestid("view-design");
  });
});

describe("saving a password where there is no keyring", () => {
  /** @type {Session} */
  let s;
  sessionHooks(
    () => previewShown({ env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/letterpress-no-bus" } }),
    (session) => {
      s = session;
    },
  );

  it("says so, stores the password nowhere and keeps the profile unsaved", async () => {
    await openProfiles(s);
    await typeInto(s, "profile-name", "work");
    await typeInto(s, "profile-host", "smtp.example.test");
    await typeInto(s, "profile-username", "me@example.test");
    await typeInto(s, "profile-password", "canary-password-5d1f");
    await s.clickTestid("profile-save");
    await s.waitFor(async () => (await s.text("profile-problem"))?.length > 0, 15_000, "the keyring problem");
    const problem = await s.text("profile-problem");
    assert.match(
      problem,
      /^No system keyring is available on this computer, so the password was not stored anywhere\./,
    );
    assert.doesNotMatch(problem, /[{}]/, "no raw JSON");
    assert.equal(
      fs.existsSync(path.join(s.dataDir, "profiles.toml")),
      false,
      "the profile is not saved without its password",
    );
    assert.ok(!allText(s.dataDir).includes("canary-password-5d1f"));
    await s.screenshot("40-profile-no-keyring");

    // Without a password the profile saves, and the app says it cannot keep one.
    await typeInto(s, "profile-password", "");
    await saveProfile(s, "work");
    await s.waitFor(
      async () => /Passwords cannot be stored on this computer/.test((await s.text("keyring-problem")) ?? ""),
      10_000,
      "the keyring notice",
    );
    await s.clickTestid("profiles-done");
    await s.clickTestid("send-cancel");
  });
});
