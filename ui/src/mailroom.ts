// Sending, the inbox, the history and export, fitted into the app window: the view switcher and
// buttons in the top bar, the views beside the workspace, the dialogs and their shortcuts.

import { el } from "./dialogs";
import { exportDialog, type ExportContext, type ExportSettings } from "./export-dialog";
import { HistoryView } from "./history-view";
import { reportText } from "./history";
import type { MailBackend } from "./backend";
import { InboxView } from "./outbox";
import { profilesDialog } from "./profiles";
import { SEND_SHORTCUT, sendDialog, type SendContext, type SendDraft } from "./send";
import { BackendError } from "./types";

export type MainView = "design" | "inbox" | "history";

export interface MailroomHooks {
  /** What the send dialog sends: the template and data set in the preview, with unsaved edits. */
  sendContext(): SendContext | null;
  exportContext(): ExportContext;
  /** The templates of the open project. */
  templates(): string[];
  toast(message: string, level: "info" | "success" | "warning" | "error"): void;
}

const isMac = navigator.platform.toUpperCase().includes("MAC");
const MOD = isMac ? "⌘" : "Ctrl+";

export class Mailroom {
  /** The view switcher, for the top bar. */
  readonly navigation: HTMLElement;
  /** The export and send buttons, for the top bar. */
  readonly actions: HTMLElement;
  /** Where the inbox and history views live, a sibling of the workspace. */
  readonly host: HTMLElement;
  private view: MainView = "design";
  private inbox: InboxView | null = null;
  private history: HistoryView | null = null;
  private exportSettings: ExportSettings | null = null;

  constructor(
    private readonly backend: MailBackend,
    private readonly workspace: HTMLElement,
    private readonly hooks: MailroomHooks,
  ) {
    const tab = (view: MainView, label: string, key: string) =>
      el(
        "button",
        {
          type: "button",
          "data-value": view,
          "data-testid": `view-${view}`,
          title: `${label} (${MOD}${key})`,
          role: "tab",
        },
        label,
      );
    this.navigation = el(
      "div",
      { class: "segmented view-switch", role: "tablist", "aria-label": "View", "data-testid": "view-switch" },
      tab("design", "Design", "1"),
      tab("inbox", "Inbox", "2"),
      tab("history", "History", "3"),
    );
    this.navigation.addEventListener("click", (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-value]");
      if (button) void this.show(button.dataset.value as MainView);
    });
    const exportButton = el(
      "button",
      { class: "ghost small", "data-testid": "open-export", title: `Export compiled templates (${MOD}Shift+E)` },
      "Export…",
    );
    const sendButton = el(
      "button",
      {
        class: "small send-button",
        "data-testid": "open-send",
        title: `Send a test of this template (${SEND_SHORTCUT})`,
      },
      el("span", {}, "Send test"),
      el("kbd", {}, SEND_SHORTCUT),
    );
    exportButton.addEventListener("click", () => void this.openExport());
    sendButton.addEventListener("click", () => void this.openSend());
    this.actions = el("div", { class: "topbar-actions" }, exportButton, sendButton);
    this.host = el("div", { class: "mail-host", "data-testid": "mail-host" });
    this.coverWorkspace(false);
    this.renderNavigation();
  }

  /** Shows or hides everything with the project: without one there is nothing to send. A newly
   * opened project starts in the design view. */
  setProjectOpen(open: boolean): void {
    this.navigation.hidden = !open;
    this.actions.hidden = !open;
    this.view = "design";
    this.coverWorkspace(false);
    this.renderNavigation();
  }

  /** Lays a view over the workspace, or takes it away. The workspace stays laid out underneath,
   * invisible and inert: the editor keeps its place, and WebKit's screenshots, which hang once
   * the editor has been `display: none`, keep working. */
  private coverWorkspace(covered: boolean): void {
    // The views are never `display: none` either: their message frames would stall screenshots.
    this.host.style.visibility = covered ? "" : "hidden";
    this.host.inert = !covered;
    this.workspace.style.visibility = covered ? "hidden" : "";
    this.workspace.inert = covered;
  }

  get current(): MainView {
    return this.view;
  }

  async show(
    view: MainView,
    select: { inbox?: string | null; history?: number | null; template?: string | null } = {},
  ): Promise<void> {
    this.view = view;
    this.renderNavigation();
    this.coverWorkspace(view !== "design");
    if (view === "inbox") {
      this.inbox ??= new InboxView(this.backend, () => void this.openSend());
      this.host.replaceChildren(this.inbox.element);
      await this.inbox.refresh(select.inbox ?? null);
    } else if (view === "history") {
      this.history ??= new HistoryView(
        this.backend,
        () => this.hooks.templates(),
        () => void this.openSend(),
        (m, l) => this.hooks.toast(m, l),
      );
      this.host.replaceChildren(this.history.element);
      if (select.template !== undefined) await this.history.showTemplate(select.template);
      else await this.history.refresh(select.history ?? null);
    }
  }

  private renderNavigation(): void {
    for (const b of this.navigation.querySelectorAll<HTMLButtonElement>("button")) {
      const on = b.dataset.value === this.view;
      b.classList.toggle("active", on);
      b.setAttribute("aria-selected", String(on));
    }
  }

  /** Opens the send dialog for the template in the preview. */
  async openSend(draft: SendDraft | null = null): Promise<void> {
    const context = this.hooks.sendContext();
    if (!context) {
      this.hooks.toast("Open a template to send a test of it.", "info");
      return;
    }
    let outcome: Awaited<ReturnType<typeof sendDialog>>;
    try {
      outcome = await sendDialog(this.backend, context, draft);
    } catch (error) {
      this.hooks.toast(BackendError.from(error).message, "error");
      return;
    }
    if (!outcome) return;
    if (outcome.action === "profiles") {
      await profilesDialog(this.backend, outcome.draft.target.kind === "profile" ? outcome.draft.target.name : null);
      await this.openSend(outcome.draft);
    } else if (outcome.action === "inbox") {
      await this.show("inbox", { inbox: outcome.name });
    } else if (outcome.action === "history") {
      await this.show("history", { history: outcome.id });
    } else {
      const last = outcome.reports.at(-1);
      if (last && this.view !== "design") await this.show(this.view);
      if (last && !last.ok && outcome.reports.length === 1) this.hooks.toast(reportText(last), "error");
    }
  }

  async openExport(): Promise<void> {
    try {
      const settings = await exportDialog(this.backend, this.hooks.exportContext(), this.exportSettings);
      if (settings) this.exportSettings = settings;
    } catch (error) {
      this.hooks.toast(BackendError.from(error).message, "error");
    }
  }

  /** Handles the shortcuts; answers whether the key was used. */
  onKey(e: KeyboardEvent): boolean {
    const mod = isMac ? e.metaKey : e.ctrlKey;
    if (!mod || this.navigation.hidden) return false;
    // A dialog handles its own keys; a second one must not open over it.
    if (document.querySelector(".modal-backdrop")) return false;
    if (e.key === "Enter" && !e.shiftKey && !e.altKey) {
      // Also keeps the editor from taking Mod+Enter for a new line.
      e.preventDefault();
      e.stopPropagation();
      void this.openSend();
      return true;
    }
    if (e.key.toLowerCase() === "e" && e.shiftKey) {
      e.preventDefault();
      void this.openExport();
      return true;
    }
    const views: Record<string, MainView> = { "1": "design", "2": "inbox", "3": "history" };
    if (views[e.key] && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      void this.show(views[e.key]);
      return true;
    }
    return false;
  }
}
