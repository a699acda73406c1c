// The inbox: the messages in the local outbox, newest first, each opened in the sandboxed viewer
// with its text part, headers and raw source.

import { el } from "./dialogs";
import { formatSize } from "./export";
import { exactTime, relativeTime } from "./history";
import type { MailBackend } from "./backend";
import { arrowKeys, focusSelected, optionAttributes } from "./listbox";
import type { OutboxItem } from "./mail-types";
import { MessageViewer, nothingSentState, problemState } from "./message-view";
import { BackendError } from "./types";

export class InboxView {
  readonly element: HTMLElement;
  private readonly list = el("ul", {
    class: "mail-list",
    "data-testid": "inbox-list",
    role: "listbox",
    "aria-label": "Messages in the local outbox",
  });
  private readonly count = el("span", { class: "count" }, "0");
  private readonly detail = el("section", { class: "mail-detail", "aria-label": "Message" });
  private readonly viewer = new MessageViewer("inbox");
  private items: OutboxItem[] = [];
  private selected: string | null = null;

  constructor(
    private readonly backend: MailBackend,
    private readonly onSend: () => void,
  ) {
    const refresh = el(
      "button",
      { class: "icon-button", title: "Refresh", "aria-label": "Refresh", "data-testid": "inbox-refresh" },
      "↻",
    );
    refresh.addEventListener("click", () => void this.refresh());
    this.element = el(
      "div",
      { class: "mail-view", "data-testid": "inbox-view" },
      el(
        "nav",
        { class: "mail-sidebar", "aria-label": "Inbox" },
        el(
          "div",
          { class: "mail-sidebar-head" },
          el(
            "div",
            {},
            el("h2", {}, "Inbox ", this.count),
            el("p", {}, "Tests sent to the local outbox. Nothing left this computer."),
          ),
          refresh,
        ),
        this.list,
      ),
      this.detail,
    );
    arrowKeys(
      this.list,
      () => this.items.map((i) => i.name),
      () => this.selected,
      (name) => void this.select(name),
    );
  }

  /** Loads the list again; selects `name` (or keeps the selection, or takes the newest). */
  async refresh(name: string | null = null): Promise<void> {
    const newestBefore = this.items[0]?.name ?? null;
    try {
      this.items = await this.backend.outboxList();
    } catch (error) {
      this.items = [];
      this.detail.replaceChildren(problemState("The outbox cannot be read", BackendError.from(error).message));
      this.renderList();
      return;
    }
    // A message that arrived since the last look is what one comes to see.
    const arrived = this.items[0] && this.items[0].name !== newestBefore ? this.items[0].name : null;
    const wanted = name ?? arrived ?? this.selected;
    this.selected = this.items.some((i) => i.name === wanted) ? wanted : (this.items[0]?.name ?? null);
    this.renderList();
    await this.open(this.selected);
  }

  private renderList(): void {
    this.count.textContent = String(this.items.length);
    this.list.replaceChildren(
      ...this.items.map((item) => {
        const row = el(
          "li",
          {
            ...optionAttributes(item.name, this.selected, this.items[0]?.name),
            class: item.name === this.selected ? "selected" : "",
            "data-testid": "inbox-item",
            "data-name": item.name,
          },
          el(
            "div",
            { class: "mail-row-top" },
            el("strong", { class: "mail-subject" }, item.subject || "(no subject)"),
            el("time", { title: exactTime(item.date) }, relativeTime(item.date)),
          ),
          el(
            "div",
            { class: "mail-row-sub" },
            el("span", {}, item.resentTo ? `Sent again to ${item.resentTo}` : `To ${item.to.join(", ") || "—"}`),
            el("span", { class: "mail-size" }, formatSize(item.size)),
          ),
        );
        row.addEventListener("click", () => void this.select(item.name));
        return row;
      }),
    );
  }

  private async select(name: string): Promise<void> {
    this.selected = name;
    this.renderList();
    focusSelected(this.list);
    await this.open(name);
  }

  private async open(name: string | null): Promise<void> {
    if (!name) {
      this.detail.replaceChildren(
        nothingSentState(
          {
            testid: "inbox-empty",
            send: "inbox-send",
            mark: "✉",
            title: "No messages yet — send a test to see it here",
            text: "Tests sent to the local outbox land here, exactly as a mail server would receive them.",
          },
          () => this.onSend(),
        ),
      );
      return;
    }
    try {
      const message = await this.backend.outboxMessage(name);
      if (this.selected !== name) return;
      this.viewer.show(message);
      if (!this.viewer.element.isConnected) this.detail.replaceChildren(this.viewer.element);
    } catch (error) {
      this.detail.replaceChildren(problemState("This message cannot be opened", BackendError.from(error).message));
    }
  }
}
