// The send dialog: recipients (several, remembered per project), the target (the local outbox by
// default, or an SMTP profile), the current data set or every one, then progress and a result in
// plain words for each message.

import { sentence } from "./sentence";
import { custom, el } from "./dialogs";
import { formatSize } from "./export";
import { formatDuration, targetLabel } from "./history";
import { savedProfiles } from "./profiles";
import type { MailBackend } from "./backend";
import type { Profile, SendMemory, SendReport, TargetChoice } from "./mail-types";
import { appendRecipient, parseRecipients, remember, suggestions, targetFromKey, targetKey } from "./recipients";
import { BackendError } from "./types";

export interface SendContext {
  template: string;
  dataSet: string | null;
  dataSets: string[];
  /** Unsaved editor buffers, so the message is what the preview shows. */
  buffers: { path: string; text: string }[];
}

/** What the person typed so far, kept when the dialog steps aside for the profiles. */
export interface SendDraft {
  recipients: string;
  target: TargetChoice;
  every: boolean;
}

export type SendOutcome =
  | { action: "profiles"; draft: SendDraft }
  | { action: "inbox"; name: string | null }
  | { action: "history"; id: number | null }
  | { action: "closed"; reports: SendReport[] };

const isMac = navigator.platform.toUpperCase().includes("MAC");
export const SEND_SHORTCUT = isMac ? "⌘↵" : "Ctrl+↵";

function errorMessage(error: unknown): string {
  return BackendError.from(error).message;
}

export async function sendDialog(
  backend: MailBackend,
  context: SendContext,
  draft: SendDraft | null,
): Promise<SendOutcome | null> {
  const [memory, profiles] = await Promise.all([
    backend.readSendMemory().catch((): SendMemory => ({ recipients: [], recent: [], target: null })),
    savedProfiles(backend),
  ]);
  const known = (t: TargetChoice | null) =>
    t !== null && (t.kind === "outbox" || profiles.profiles.some((p) => p.name === t.name));
  const initialTarget: TargetChoice =
    draft && known(draft.target) ? draft.target : known(memory.target) ? memory.target! : { kind: "outbox" };

  return custom<SendOutcome>(
    "send-dialog",
    (close) => {
      let current = memory;
      const reports: SendReport[] = [];
      let sending = false;

      const input = el("input", {
        type: "text",
        spellcheck: "false",
        autocomplete: "off",
        "data-testid": "send-recipients",
        "aria-label": "Recipients",
        placeholder: "you@example.com, colleague@example.com",
      });
      input.value = draft?.recipients ?? memory.recipients.join(", ");
      const chips = el("div", { class: "chip-row", "data-testid": "send-suggestions" });
      const problem = el("p", { class: "field-problem", "aria-live": "polite", "data-testid": "send-problem" });

      const select = targetSelect("send-target", profiles.profiles);
      select.value = targetKey(initialTarget);
      const targetHint = el("p", { class: "field-hint", "data-testid": "send-target-hint" });
      const manage = el(
        "button",
        { type: "button", class: "ghost small", "data-testid": "manage-profiles" },
        "SMTP profiles…",
      );

      const many = context.dataSets.length > 1;
      const radio = (value: "one" | "every", label: string, detail: string, checked: boolean) =>
        el(
          "label",
          { class: "choice" },
          el("input", { type: "radio", name: "send-data", value, checked, "data-testid": `send-data-${value}` }),
          el("span", {}, el("strong", {}, label), el("span", { class: "choice-detail" }, detail)),
        );
      const one = radio("one", context.dataSet ?? "No data", "The data set in the preview", !(draft?.every && many));
      const every = radio(
        "every",
        `Every data set (${context.dataSets.length})`,
        context.dataSets.join(", "),
        !!draft?.every && many,
      );
      const results = el("ul", { class: "send-results", "data-testid": "send-results", "aria-live": "polite" });

      const cancel = el("button", { type: "button", "data-testid": "send-cancel" }, "Cancel");
      const inbox = el("button", { type: "button", hidden: true, "data-testid": "send-open-inbox" }, "Open inbox");
      const history = el(
        "button",
        { type: "button", hidden: true, "data-testid": "send-open-history" },
        "View in history",
      );
      const send = el(
        "button",
        { type: "submit", class: "primary", "data-testid": "send-confirm" },
        el("span", {}, "Send"),
        el("kbd", { class: "on-primary" }, SEND_SHORTCUT),
      );

      const target = (): TargetChoice => targetFromKey(select.value);
      const renderTarget = () => {
        const t = target();
        if (t.kind === "outbox") {
          targetHint.textContent = "The message stays on this computer. Open it in the Inbox.";
          return;
        }
        const profile = profiles.profiles.find((p) => p.name === t.name);
        targetHint.textContent = profile ? `${profile.url}${profile.sender ? ` · from ${profile.sender}` : ""}` : "";
      };
      const renderChips = () => {
        const typed = parseRecipients(input.value).recipients;
        const offered = suggestions(current, typed);
        chips.replaceChildren(
          ...(offered.length ? [el("span", { class: "chip-label" }, "Recent")] : []),
          ...offered.map((address) => {
            const chip = el("button", { type: "button", class: "chip", title: `Add ${address}` }, address);
            chip.addEventListener("click", () => {
              input.value = appendRecipient(input.value, address);
              check();
              renderChips();
              input.focus();
            });
            return chip;
          }),
        );
      };
      const check = (): string[] | null => {
        const parsed = parseRecipients(input.value);
        problem.textContent = parsed.problems.length ? `${parsed.problems.join("; ")}.` : "";
        return parsed.problems.length ? null : parsed.recipients;
      };

      const row = (label: string) => {
        const li = el(
          "li",
          { class: "send-result pending", "data-testid": "send-result" },
          el("span", { class: "result-icon", "aria-hidden": "true" }),
          el(
            "div",
            { class: "result-text" },
            el("strong", {}, label),
            el("span", { class: "result-line" }, "Sending…"),
          ),
        );
        results.append(li);
        return li;
      };
      const fill = (li: HTMLElement, report: SendReport) => {
        li.classList.remove("pending");
        li.classList.add(report.ok ? "ok" : "failed");
        li.dataset.status = report.ok ? "sent" : "failed";
        const text = li.querySelector(".result-text")!;
        const line = li.querySelector(".result-line")!;
        line.textContent = report.ok
          ? `Sent to ${report.recipients.join(", ")} via ${targetLabel(report.target)}.`
          : `${report.failure?.headline ?? "Sending failed"}.`;
        if (!report.ok && report.failure) {
          const reply = replyCode(report);
          text.append(
            el("span", { class: "result-detail" }, sentence(report.failure.detail)),
            el(
              "span",
              { class: "result-meta" },
              reply,
              el(
                "span",
                {},
                report.failure.transient
                  ? "Worth trying again later."
                  : "Trying again will not help until this is fixed.",
              ),
            ),
          );
        } else if (report.ok) {
          const reply = replyCode(report);
          text.append(
            el(
              "span",
              { class: "result-meta" },
              reply,
              el("span", {}, `“${report.subject}”`),
              el("span", {}, `${formatSize(report.size)} in ${formatDuration(report.durationMs)}`),
            ),
          );
        }
      };
      const failRow = (li: HTMLElement, message: string) => {
        li.classList.remove("pending");
        li.classList.add("failed");
        li.dataset.status = "error";
        li.querySelector(".result-line")!.textContent = `${sentence(message)}.`;
      };

      const run = async () => {
        if (sending) return;
        const recipients = check();
        if (!recipients) return;
        if (!recipients.length) {
          problem.textContent = "Add at least one recipient.";
          input.focus();
          return;
        }
        const chosen = target();
        const sets = (every.querySelector("input") as HTMLInputElement).checked ? context.dataSets : [context.dataSet];
        sending = true;
        send.disabled = true;
        cancel.textContent = "Close";
        results.replaceChildren();
        results.hidden = false;
        const started = reports.length;
        for (const dataSet of sets) {
          const li = row(dataSet ? `${context.template} · ${dataSet}` : context.template);
          try {
            const report = await backend.sendTest({
              template: context.template,
              dataSet,
              recipients,
              target: chosen,
              buffers: context.buffers,
            });
            reports.push(report);
            fill(li, report);
          } catch (error) {
            failRow(li, errorMessage(error));
          }
        }
        current = remember(current, recipients, chosen);
        await backend.writeSendMemory(current).catch(() => undefined);
        renderChips();
        const mine = reports.slice(started);
        inbox.hidden = !mine.some((r) => r.ok && r.outboxName);
        history.hidden = mine.length === 0;
        sending = false;
        send.disabled = false;
        send.firstElementChild!.textContent = "Send again";
        (mine.some((r) => r.ok && r.outboxName) ? inbox : history.hidden ? send : history).focus();
      };

      input.addEventListener("input", () => {
        check();
        renderChips();
      });
      select.addEventListener("change", renderTarget);
      manage.addEventListener("click", () =>
        close({
          action: "profiles",
          draft: {
            recipients: input.value,
            target: target(),
            every: (every.querySelector("input") as HTMLInputElement).checked,
          },
        }),
      );
      cancel.addEventListener("click", () => close({ action: "closed", reports }));
      inbox.addEventListener("click", () =>
        close({ action: "inbox", name: reports.filter((r) => r.ok && r.outboxName).at(-1)?.outboxName ?? null }),
      );
      history.addEventListener("click", () => close({ action: "history", id: reports.at(-1)?.historyId ?? null }));

      const form = el(
        "form",
        { class: "send-form" },
        el("h2", {}, "Send a test"),
        el(
          "p",
          { class: "modal-subtitle", "data-testid": "send-what" },
          context.dataSet ? `${context.template} · ${context.dataSet}` : context.template,
        ),
        el("label", { class: "field" }, el("span", {}, "To"), input),
        chips,
        problem,
        el(
          "div",
          { class: "field" },
          el("span", { class: "field-label-inline" }, "Send through"),
          el("div", { class: "inline-row" }, select, manage),
          targetHint,
        ),
        many
          ? el(
              "div",
              { class: "field", role: "radiogroup", "aria-label": "Data" },
              el("span", { class: "field-label-inline" }, "Data"),
              el("div", { class: "choices" }, one, every),
            )
          : null,
        results,
        el("div", { class: "modal-actions" }, history, inbox, el("div", { class: "spacer" }), cancel, send),
      );
      results.hidden = true;
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        void run();
      });
      form.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (isMac ? e.metaKey : e.ctrlKey)) {
          e.preventDefault();
          e.stopPropagation();
          void run();
        }
      });
      renderTarget();
      renderChips();
      check();
      queueMicrotask(() => {
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      });
      return el("div", {}, form);
    },
    true,
  );
}

/** Re-sends a message from the history: to its recipients or others, through any target. */
export async function resendDialog(
  backend: MailBackend,
  id: number,
  subject: string,
  original: string[],
): Promise<SendReport | null> {
  const profiles = await savedProfiles(backend);
  return custom<SendReport>(
    "resend-dialog",
    (close) => {
      const input = el("input", {
        type: "text",
        spellcheck: "false",
        autocomplete: "off",
        "data-testid": "resend-recipients",
        "aria-label": "Recipients",
      });
      input.value = original.join(", ");
      const problem = el("p", { class: "field-problem", "aria-live": "polite", "data-testid": "resend-problem" });
      const select = targetSelect("resend-target", profiles.profiles);
      const send = el("button", { type: "submit", class: "primary", "data-testid": "resend-confirm" }, "Send again");
      const cancel = el("button", { type: "button" }, "Cancel");
      const form = el(
        "form",
        { class: "resend-form" },
        el("h2", {}, "Send again"),
        el(
          "p",
          { class: "modal-subtitle" },
          `“${subject}”, byte for byte as it was sent. Other recipients get it with Resent-To and Resent-Date headers on top.`,
        ),
        el("label", { class: "field" }, el("span", {}, "To"), input),
        problem,
        el("label", { class: "field" }, el("span", {}, "Send through"), select),
        el("div", { class: "modal-actions" }, cancel, send),
      );
      cancel.addEventListener("click", () => close(null));
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const parsed = parseRecipients(input.value);
        if (parsed.problems.length || !parsed.recipients.length) {
          problem.textContent = parsed.problems.length
            ? `${parsed.problems.join("; ")}.`
            : "Add at least one recipient.";
          return;
        }
        send.disabled = true;
        send.textContent = "Sending…";
        backend
          .resend(id, parsed.recipients, targetFromKey(select.value))
          .then((report) => close(report))
          .catch((error) => {
            problem.textContent = `${sentence(errorMessage(error))}.`;
            send.disabled = false;
            send.textContent = "Send again";
          });
      });
      return el("div", {}, form);
    },
    false,
  );
}

/** The server's reply code and text, as a sent or failed send shows it. */
function replyCode(report: SendReport): HTMLElement | null {
  return report.reply
    ? el("span", { class: "reply-code", title: "The server's reply" }, `${report.reply.code} ${report.reply.text}`)
    : null;
}

/** The choice of where a message goes: the local outbox, or one of the saved profiles. */
function targetSelect(testid: string, profiles: readonly Profile[]): HTMLSelectElement {
  const select = el("select", { class: "send-target", "data-testid": testid, "aria-label": "Send through" });
  select.append(el("option", { value: "outbox" }, "Local outbox — no server needed"));
  for (const profile of profiles) {
    select.append(
      el("option", { value: targetKey({ kind: "profile", name: profile.name }) }, `${profile.name} — ${profile.host}`),
    );
  }
  return select;
}
