// The history view: every recorded send, searchable and filtered by template and status; a past
// message opened exactly as it was sent, re-sent, and simple statistics per template.

import { debounceAsync } from "./debounce";
import { el } from "./dialogs";
import { formatSize } from "./export";
import {
  EMPTY_FILTERS,
  STATUS_LABELS,
  exactTime,
  formatDuration,
  isFiltered,
  outcomeText,
  relativeTime,
  reportText,
  sortStats,
  statsText,
  targetDetail,
  targetLabel,
  templateChoices,
  toQuery,
  whatLabel,
  type HistoryFilters,
} from "./history";
import type { MailBackend } from "./backend";
import { arrowKeys, focusSelected, optionAttributes } from "./listbox";
import type { HistoryEntry, HistoryItem, SendStatus, TemplateStats } from "./mail-types";
import { MessageViewer, nothingSentState, problemState } from "./message-view";
import { resendDialog } from "./send";
import { sentence } from "./sentence";
import { BackendError } from "./types";

const STATUS_FILTERS: (SendStatus | "all")[] = ["all", "sent", "failed", "interrupted"];

export class HistoryView {
  readonly element: HTMLElement;
  private filters: HistoryFilters = { ...EMPTY_FILTERS };
  private items: HistoryItem[] = [];
  private stats: TemplateStats[] = [];
  private selected: number | null = null;
  private readonly list = el("ul", {
    class: "mail-list history-list",
    "data-testid": "history-list",
    role: "listbox",
    "aria-label": "Sends",
  });
  private readonly search = el("input", {
    type: "search",
    placeholder: "Search subject, recipient, reply…",
    "data-testid": "history-search",
    "aria-label": "Search the history",
  });
  private readonly templateSelect = el("select", { "data-testid": "history-template", "aria-label": "Template" });
  private readonly statusSelect = el("select", { "data-testid": "history-status", "aria-label": "Status" });
  private readonly statsLine = el("p", { class: "history-stats-line", "data-testid": "history-stats-line" });
  private readonly detail = el("section", { class: "mail-detail", "aria-label": "Send" });
  private readonly viewer = new MessageViewer("history");
  private readonly reload = debounceAsync(() => this.refresh(), 150);

  constructor(
    private readonly backend: MailBackend,
    private readonly projectTemplates: () => string[],
    private readonly onSend: () => void,
    private readonly toast: (message: string, level: "info" | "success" | "warning" | "error") => void,
  ) {
    this.search.addEventListener("input", () => {
      this.filters.search = this.search.value;
      this.reload();
    });
    this.templateSelect.addEventListener("change", () => {
      this.filters.template = this.templateSelect.value || null;
      void this.refresh();
    });
    this.statusSelect.append(
      ...STATUS_FILTERS.map((status) =>
        el("option", { value: status }, status === "all" ? "Any status" : STATUS_LABELS[status]),
      ),
    );
    this.statusSelect.addEventListener("change", () => {
      this.filters.status = this.statusSelect.value as SendStatus | "all";
      void this.refresh();
    });
    const refresh = el(
      "button",
      { class: "icon-button", title: "Refresh", "aria-label": "Refresh", "data-testid": "history-refresh" },
      "↻",
    );
    refresh.addEventListener("click", () => void this.refresh());
    const overview = el("button", { class: "ghost small", "data-testid": "history-overview" }, "Statistics");
    overview.addEventListener("click", () => {
      this.selected = null;
      this.renderList();
      this.showStats();
    });
    this.element = el(
      "div",
      { class: "mail-view", "data-testid": "history-view" },
      el(
        "nav",
        { class: "mail-sidebar history-sidebar", "aria-label": "History" },
        el(
          "div",
          { class: "mail-sidebar-head" },
          el("div", {}, el("h2", {}, "History"), el("p", {}, "Every test sent from here or the letterpress command.")),
          overview,
          refresh,
        ),
        el(
          "div",
          { class: "history-filters" },
          this.search,
          el("div", { class: "filter-row" }, this.templateSelect, this.statusSelect),
          this.statsLine,
        ),
        this.list,
      ),
      this.detail,
    );
    arrowKeys(
      this.list,
      () => this.items.map((i) => i.id),
      () => this.selected,
      (id) => void this.select(id),
    );
  }

  /** Loads the list and statistics again; opens `id` when given. */
  async refresh(id: number | null = null): Promise<void> {
    try {
      const [items, stats] = await Promise.all([
        this.backend.historyList(toQuery(this.filters)),
        this.backend.historyStats(),
      ]);
      this.items = items;
      this.stats = stats;
    } catch (error) {
      this.items = [];
      this.detail.replaceChildren(
        problemState("The history cannot be read", sentence(BackendError.from(error).message)),
      );
      this.renderList();
      return;
    }
    if (id !== null) this.selected = id;
    if (this.selected !== null && !this.items.some((i) => i.id === this.selected)) this.selected = null;
    this.renderFilters();
    this.renderList();
    if (this.selected !== null) await this.open(this.selected);
    else this.showStats();
  }

  /** Shows the history filtered to one template. */
  async showTemplate(template: string | null): Promise<void> {
    this.filters = { ...EMPTY_FILTERS, template };
    this.search.value = "";
    this.selected = null;
    await this.refresh();
  }

  private renderFilters(): void {
    const choices = templateChoices(this.stats, this.projectTemplates());
    this.templateSelect.replaceChildren(
      el("option", { value: "" }, "All templates"),
      ...choices.map((t) => el("option", { value: t }, t)),
    );
    this.templateSelect.value = this.filters.template ?? "";
    this.statusSelect.value = this.filters.status;
    const template = this.filters.template;
    if (template) {
      const stats = this.stats.find((s) => s.template === template);
      this.statsLine.hidden = false;
      this.statsLine.textContent = `${template}: ${statsText(stats)}${stats?.lastSent ? ` · last sent ${relativeTime(stats.lastSent)}` : ""}`;
    } else {
      this.statsLine.hidden = true;
    }
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.items.map((item) => {
        const row = el(
          "li",
          {
            ...optionAttributes(item.id, this.selected, this.items[0]?.id),
            class: `history-row ${item.id === this.selected ? "selected" : ""}`,
            "data-testid": "history-item",
            "data-id": String(item.id),
            "data-status": item.status,
          },
          el(
            "div",
            { class: "mail-row-top" },
            el("span", {
              class: `status-dot ${item.status}`,
              title: STATUS_LABELS[item.status],
              "aria-label": STATUS_LABELS[item.status],
            }),
            el("strong", { class: "mail-subject" }, item.subject || "(no subject)"),
            el("time", { title: exactTime(item.startedAt) }, relativeTime(item.startedAt)),
          ),
          el(
            "div",
            { class: "mail-row-sub" },
            el("span", { class: "mail-what" }, whatLabel(item)),
            el("span", { class: "sep" }, "→"),
            el("span", { class: "mail-to" }, item.recipients.join(", ")),
          ),
          el(
            "div",
            { class: `mail-row-outcome ${item.status}` },
            item.target.kind === "outbox" ? null : el("span", { class: "via" }, targetLabel(item.target)),
            el("span", { class: "outcome" }, outcomeText(item)),
          ),
        );
        row.addEventListener("click", () => void this.select(item.id));
        return row;
      }),
    );
    if (!this.items.length) {
      this.list.append(
        el(
          "li",
          { class: "list-empty", "data-testid": "history-empty" },
          isFiltered(this.filters) ? "No sends match these filters." : "Nothing sent yet.",
        ),
      );
    }
  }

  private async select(id: number): Promise<void> {
    this.selected = id;
    this.renderList();
    focusSelected(this.list);
    await this.open(id);
  }

  private showStats(): void {
    if (!this.stats.length) {
      this.detail.replaceChildren(
        nothingSentState(
          {
            testid: "history-empty-state",
            send: "history-send",
            mark: "↺",
            title: "No sends yet",
            text: "Every test you send is recorded here: to whom, through which server, what it answered, and the exact message.",
          },
          () => this.onSend(),
        ),
      );
      return;
    }
    const rows = sortStats(this.stats, this.projectTemplates()).map((s) => {
      const name = el("button", { class: "link", "data-testid": `stats-${s.template}` }, s.template);
      name.addEventListener("click", () => void this.showTemplate(s.template));
      return el(
        "tr",
        {},
        el("th", { scope: "row" }, name),
        el("td", { class: "num" }, String(s.sent)),
        el("td", { class: `num ${s.failed ? "failed" : ""}` }, String(s.failed)),
        el(
          "td",
          { title: exactTime(s.lastSent) },
          s.lastSent ? relativeTime(s.lastSent) : el("span", { class: "muted" }, "never"),
        ),
      );
    });
    const total = this.stats.reduce((sum, s) => sum + s.sent + s.failed, 0);
    this.detail.replaceChildren(
      el(
        "div",
        { class: "stats-panel", "data-testid": "history-stats" },
        el("h2", {}, "Sends per template"),
        el(
          "p",
          { class: "modal-subtitle" },
          `${total} send${total === 1 ? "" : "s"} recorded. Choose one on the left to see the exact message.`,
        ),
        el(
          "table",
          { class: "stats-table" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", {}, "Template"),
              el("th", { class: "num" }, "Sent"),
              el("th", { class: "num" }, "Failed"),
              el("th", {}, "Last sent"),
            ),
          ),
          el("tbody", {}, ...rows),
        ),
      ),
    );
  }

  private async open(id: number): Promise<void> {
    let entry: HistoryEntry;
    try {
      entry = await this.backend.historyEntry(id);
    } catch (error) {
      this.detail.replaceChildren(
        problemState("This send cannot be opened", sentence(BackendError.from(error).message)),
      );
      return;
    }
    if (this.selected !== id) return;
    this.viewer.show(entry.message, entry.data, this.summary(entry.send));
    if (!this.viewer.element.isConnected) this.detail.replaceChildren(this.viewer.element);
  }

  /** The card above a past message: how it went, where it went, and re-sending it. */
  private summary(send: HistoryItem): HTMLElement {
    const again = el("button", { class: "small", "data-testid": "history-resend" }, "Send again…");
    again.addEventListener("click", () => void this.resend(send));
    const fact = (label: string, value: string, title?: string) =>
      el("div", { class: "fact" }, el("dt", {}, label), el("dd", { title: title ?? value }, value));
    return el(
      "div",
      { class: `send-summary ${send.status}`, "data-testid": "history-summary", "data-status": send.status },
      el(
        "div",
        { class: "summary-head" },
        el("span", { class: `status-pill ${send.status}` }, STATUS_LABELS[send.status]),
        el("span", { class: "summary-outcome", "data-testid": "history-outcome" }, outcomeText(send)),
        el("div", { class: "spacer" }),
        again,
      ),
      send.status === "failed"
        ? el(
            "p",
            { class: "summary-error" },
            `${send.error && (send.reply || send.failureHeadline) ? `${sentence(send.error)}. ` : ""}${send.failure === "transient" ? "Worth trying again later." : "Trying again will not help until this is fixed."}`,
          )
        : null,
      el(
        "dl",
        { class: "facts" },
        fact("Template", whatLabel(send)),
        fact("Via", targetLabel(send.target), targetDetail(send.target)),
        fact("Sent", relativeTime(send.startedAt), exactTime(send.startedAt)),
        fact("Took", formatDuration(send.durationMs)),
        fact("Size", formatSize(send.size)),
        fact("Message-ID", send.messageId),
      ),
    );
  }

  private async resend(send: HistoryItem): Promise<void> {
    const report = await resendDialog(this.backend, send.id, send.subject, send.recipients);
    if (!report) return;
    this.toast(
      report.ok
        ? reportText(report)
        : `${report.failure?.headline ?? "Sending failed"}. It is recorded in the history.`,
      report.ok ? "success" : "error",
    );
    this.filters = { ...EMPTY_FILTERS, template: this.filters.template };
    this.search.value = "";
    await this.refresh(report.historyId);
  }
}
