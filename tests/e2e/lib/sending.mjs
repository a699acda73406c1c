// The send dialog, the profiles dialog it opens and the history, driven as a person would: the
// steps the sending specs share.

import { typeInto } from "./forms.mjs";

/** Opens the send dialog with its button. */
export async function openSendDialog(s) {
  await s.clickTestid("open-send");
  await s.waitFor(() => s.testid("send-dialog").isDisplayed(), 10_000, "the send dialog");
}

/** Opens the send dialog, then the profiles dialog from it. */
export async function openProfiles(s) {
  await openSendDialog(s);
  await s.clickTestid("manage-profiles");
  await s.waitFor(() => s.testid("profiles-dialog").isDisplayed(), 10_000, "the profiles dialog");
}

/** Fills in the form of a new profile for a server on 127.0.0.1 at `port`, without TLS. */
export async function fillLocalProfile(s, name, port) {
  await typeInto(s, "profile-name", name);
  await typeInto(s, "profile-host", "127.0.0.1");
  await s.clickTestid("profile-security-none");
  await typeInto(s, "profile-port", String(port));
}

/** Saves the profile in the form and waits for it in the list of profiles. */
export async function saveProfile(s, name) {
  await s.clickTestid("profile-save");
  await s.waitFor(() => s.testid(`profile-item-${name}`).isExisting(), 10_000, "the saved profile");
}

/** Closes the profiles dialog, back to the send dialog. */
export async function closeProfiles(s) {
  await s.clickTestid("profiles-done");
  await s.waitFor(() => s.testid("send-dialog").isDisplayed(), 10_000, "the send dialog again");
}

/** Clicks the button with `data-testid` `button`, then waits for the result at `selector` to be
 * there and no longer pending: it shows as pending from the click until the work ends. */
async function clickUntilDone(s, button, selector, timeout, what) {
  await s.clickTestid(button);
  await s.waitFor(async () => await s.browser.$(`${selector}:not(.pending)`).isExisting(), timeout, what);
}

/** Tests the connection of the profile in the form: whether it worked, and what the app says. */
export async function testConnection(s, timeout = 30_000) {
  await clickUntilDone(s, "profile-test", "[data-testid=profile-test-result][data-ok]", timeout, "the connection test");
  return {
    ok: (await s.testid("profile-test-result").getAttribute("data-ok")) === "true",
    text: await s.text("profile-test-result"),
  };
}

/** Sends from the open send dialog and waits for the send to end: the status of its (first) result,
 * `sent`, `failed` or `error`, and the text of the results. */
export async function confirmSend(s, timeout = 20_000) {
  await clickUntilDone(s, "send-confirm", "[data-testid=send-result]", timeout, "the send to end");
  return {
    status: await s.$("[data-testid=send-result]").getAttribute("data-status"),
    text: await s.text("send-results"),
  };
}

/** The rows of the history list: the id, status and text of each. */
export async function historyRows(s) {
  return s.browser.execute(() =>
    [...document.querySelectorAll("[data-testid=history-item]")].map((row) => ({
      id: Number(row.dataset.id),
      status: row.dataset.status,
      text: row.textContent,
    })),
  );
}

/** Waits for the history to show a send whose outcome reads `outcome`. */
export async function historyOutcome(s, outcome) {
  await s.waitFor(async () => (await s.text("history-outcome")) === outcome, 10_000, `the send “${outcome}”`);
}

/** Waits for the history to show a send with status `status`. */
export async function historyStatus(s, status) {
  await s.waitFor(
    async () => (await s.testid("history-summary").getAttribute("data-status")) === status,
    10_000,
    `the ${status} send to open`,
  );
}

/** Waits for the message in the sandboxed viewer frame `frame` (of the inbox or the history) to
 * show text that matches `pattern`. */
export async function messageShows(s, frame, pattern) {
  await s.waitFor(async () => pattern.test(await s.frameText(frame)), 10_000, `${pattern} in ${frame}`);
}
