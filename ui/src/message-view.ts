// One sent message on screen: the rendered HTML in a sandboxed frame (no scripts, no same-origin
// access, links go nowhere), its text part, its headers and its raw source. Used by the inbox and
// the history.

import { el } from "./dialogs";
import { formatSize } from "./export";
import { exactTime, relativeTime } from "./history";
import type { MessageView } from "./mail-types";
import { frameDocument } from "./preview-doc";

export type MessageTab = "message" | "text" | "headers" | "source" | "data";

const TAB_LABELS: Record<MessageTab, string> = {
  message: "Message",
  text: "Text",
  headers: "Headers",
  source: "Source",
  data: "Data",
};

/** The nodes that are there, for `replaceChildren`, which takes no nulls. */
export function present(...nodes: (Node | string | null | undefined | false)[]): (Node | string)[] {
  return nodes.filter((n): n is Node | string => n !== null && n !== undefined && n !== false);
}

/** A sandboxed frame for untrusted email HTML. The preview's frames (`preview-frames.ts`) also
 * allow same-origin access, for the app to read them from outside; these need nothing of it. */
export function sandboxedFrame(testid: string, title: string): HTMLIFrameElement {
  return el("iframe", {
    class: "preview-frame",
    title,
    // No allow-scripts, no allow-same-origin, no navigation or popups: the email is inert.
    sandbox: "",
    referrerpolicy: "no-referrer",
    "data-testid": testid,
  });
}

/** What the inbox and the history show in place of a message that cannot be shown: what could not be
 * done, and why. */
export function problemState(title: string, reason: string): HTMLElement {
  return el("div", { class: "empty-state" }, el("h2", {}, title), el("p", {}, reason));
}

/** What the inbox and the history show while nothing has been sent: a mark, a title, what will show
 * here, and a button (`send`) that opens the send dialog. */
export function nothingSentState(
  state: { testid: string; send: string; mark: string; title: string; text: string },
  onSend: () => void,
): HTMLElement {
  const send = el("button", { class: "primary", "data-testid": state.send }, "Send a test");
  send.addEventListener("click", () => onSend());
  return el(
    "div",
    { class: "empty-state", "data-testid": state.testid },
    el("div", { class: "empty-mark", "aria-hidden": "true" }, state.mark),
    el("h2", {}, state.title),
    el("p", {}, state.text),
    send,
  );
}

export class MessageViewer {
  readonly element: HTMLElement;
  private tab: MessageTab = "message";
  private readonly head = el("div", { class: "inbox-header message-head" });
  private readonly tabs = el("div", { class: "segmented", role: "tablist" });
  private readonly body = el("div", { class: "message-body" });
  private readonly frame: HTMLIFrameElement;
  private readonly stage: HTMLElement;
  private message: MessageView | null = null;
  private data: string | null = null;

  constructor(private readonly prefix: string) {
    this.frame = sandboxedFrame(`${prefix}-frame`, "Sent message");
    this.stage = el("div", { class: "message-stage" }, el("div", { class: "message-paper" }, this.frame));
    this.element = el(
      "div",
      { class: "message-viewer", "data-testid": `${prefix}-viewer` },
      this.head,
      el("div", { class: "pane-bar message-tabs" }, this.tabs),
      this.body,
    );
    this.tabs.addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-value]");
      if (!button) return;
      this.tab = button.dataset.value as MessageTab;
      this.render();
    });
  }

  /** Shows `message`; `data` adds a tab with the data the template was filled with. */
  show(message: MessageView, data: string | null = null, summary: Node | null = null): void {
    const changed = this.message?.raw !== message.raw;
    this.message = message;
    this.data = data;
    if (this.tab === "data" && data === null) this.tab = "message";
    const to = message.to.join(", ");
    this.head.replaceChildren(
      ...present(
        el(
          "div",
          { class: "inbox-subject", "data-testid": `${this.prefix}-subject` },
          message.subject || el("span", { class: "muted" }, "(no subject)"),
        ),
        el(
          "dl",
          { class: "message-meta" },
          el("dt", {}, "From"),
          el("dd", {}, message.from ?? "—"),
          el("dt", {}, "To"),
          el("dd", { "data-testid": `${this.prefix}-to` }, to || "—"),
          message.resentTo ? el("dt", {}, "Sent again to") : null,
          message.resentTo ? el("dd", { "data-testid": `${this.prefix}-resent-to` }, message.resentTo) : null,
          el("dt", {}, "Date"),
          el(
            "dd",
            { title: exactTime(message.date) },
            `${relativeTime(message.date)} · ${formatSize(message.size)}${message.parts.length ? ` · ${message.parts.length} embedded image${message.parts.length === 1 ? "" : "s"}` : ""}`,
          ),
        ),
        summary,
      ),
    );
    if (changed) this.frame.srcdoc = message.html ? frameDocument(message.html, "light") : "";
    this.render();
  }

  private render(): void {
    const message = this.message;
    if (!message) return;
    const tabs: MessageTab[] = ["message", "text", "headers", "source"];
    if (this.data !== null) tabs.push("data");
    this.tabs.replaceChildren(
      ...tabs.map((tab) =>
        el(
          "button",
          {
            type: "button",
            role: "tab",
            "data-value": tab,
            "data-testid": `${this.prefix}-tab-${tab}`,
            class: tab === this.tab ? "active" : "",
            "aria-selected": tab === this.tab ? "true" : "false",
          },
          TAB_LABELS[tab],
        ),
      ),
    );
    let content: Node;
    switch (this.tab) {
      case "message":
        content = message.html
          ? this.stage
          : el("div", { class: "empty-state small" }, el("p", {}, "This message has no HTML part."));
        break;
      case "text":
        content = el(
          "pre",
          { class: "text-view", "data-testid": `${this.prefix}-text` },
          message.text ?? "This message has no plain-text part.",
        );
        break;
      case "headers":
        content = el(
          "div",
          { class: "header-table-wrap" },
          el(
            "table",
            { class: "header-table", "data-testid": `${this.prefix}-headers` },
            el(
              "tbody",
              {},
              ...message.headers.map(([name, value]) =>
                el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, value)),
              ),
            ),
          ),
        );
        break;
      case "source":
        content = el(
          "div",
          { class: "source-wrap" },
          message.rawTruncated
            ? el(
                "p",
                { class: "source-note" },
                `Showing the first 2 MB of ${formatSize(message.size)}; the rest is embedded images.`,
              )
            : null,
          el("pre", { class: "text-view raw-view", "data-testid": `${this.prefix}-raw` }, message.raw),
        );
        break;
      case "data":
        content = el("pre", { class: "text-view", "data-testid": `${this.prefix}-data` }, this.data ?? "");
        break;
    }
    // WebKit reloads a frame that leaves the document, and its screenshots hang once a frame has
    // been `display: none`, so the stage stays attached and is only moved out of sight.
    for (const child of [...this.body.children]) if (child !== this.stage) child.remove();
    if (!this.stage.isConnected) this.body.append(this.stage);
    this.stage.classList.toggle("offstage", content !== this.stage);
    if (content !== this.stage) this.body.append(content);
  }
}
