// The app window: template list | editor | preview. It holds the UI state, talks to the shell only
// through `Backend`, and keeps the editors, the preview and the folder on disk in step.

import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { html as htmlLanguage } from "@codemirror/lang-html";

import type { Backend } from "./backend";
import { BufferStore, fileKind, type FileKind } from "./buffers";
import { debounceAsync, type Debounced } from "./debounce";
import { PreviewPane, type PaneHooks } from "./preview-frames";
import { previewDelay, previewKey } from "./preview-policy";
import { markerAtCursor } from "./source-map";
import { Sidebar } from "./sidebar";
import { TemplateActions } from "./template-actions";
import { SupportView, type SizesState } from "./client-support-view";
import { compareVersions, ConflictBanner, type ConflictChoice } from "./conflicts";
import { Store } from "./store";
import { countsText, diagnosticRange, errorText, problemsLevel, severityCounts } from "./diagnostics";
import { choose, el, quickPick, setModalRoot } from "./dialogs";
import { EditorTabs } from "./editor-tabs";
import { createState, diagnosticsSpec, editorTheme, formatDocument, syntaxColors } from "./editor";
import { prettyHtml } from "./format";
import { UnsavedJournal } from "./journal";
import { clientBackground, frameDocument, type ColorMode } from "./preview-doc";
import {
  dataSetFor,
  fitFrames,
  initialState,
  otherDataSet,
  partialNote,
  previewTemplate,
  problems,
  SAVED_SETTINGS,
  saveState,
  shownResult,
  templateView,
  type CompareMode,
  type PreviewTab,
  type WidthMode,
  type WorkspaceState,
  WIDTHS,
} from "./workspace-state";
import { formatBytes, GMAIL_CLIP_BYTES, sizeLevel } from "./size";
import { Mailroom } from "./mailroom";
import { ProblemsPanel } from "./problems-panel";
import type { SendContext } from "./send";
import type { Diagnostic, PreviewResult, ProjectChanged, ProjectView, RecentProject } from "./types";

/** Measuring every data set renders each of them, so it waits for a longer pause. */
const SIZES_DEBOUNCE_MS = 400;

/** One measured edit: from the keystroke to the preview painted with it. */
export interface PreviewTiming {
  template: string;
  /** Keystroke to painted preview, the wait before rendering included. */
  totalMs: number;
  /** From the start of rendering to the painted preview: IPC, compile, fill, frame load and paint. */
  workMs: number;
  /** Compile and fill in the shell. */
  compileMs: number;
  /** From the start of rendering to the result in the window: IPC, compile and fill. */
  roundTripMs: number;
  /** The frame loading and painting the new document. */
  paintMs: number;
}

declare global {
  interface Window {
    /** Timings of previews that followed an edit, read by the performance test. */
    letterpressTimings?: PreviewTiming[];
  }
}

const isMac = navigator.platform.toUpperCase().includes("MAC");
const MOD = isMac ? "⌘" : "Ctrl+";


export class App {
  /** What the panels render from. */
  private readonly store: Store<WorkspaceState>;
  /** The open files and their unsaved edits; `dirty` and `conflicts` of the state follow it. */
  private buffers = new BufferStore();
  private states = new Map<string, EditorState>();
  private view: EditorView | null = null;
  private usage = new Map<string, string[]>();
  private schedulePreview: Debounced;
  private editedAt: number | null = null;
  private debounceEndedAt = 0;
  /** How long the last preview took from the end of the wait to painted, which sets the next wait. */
  private lastWorkMs: number | null = null;
  private roundTripMs = 0;
  /** The time between the last two edits; a keystroke after a pause is rendered at once. */
  private editGapMs = Number.POSITIVE_INFINITY;
  private lastEditAt: number | null = null;
  /** What the preview shown was rendered from; the same again needs no render. */
  private renderedKey: string | null = null;
  /** The main view of the email and the one beside it. */
  private main!: PreviewPane;
  private second!: PreviewPane;
  /** The marker outlined in the preview, from the cursor in the editor. */
  private outlined: number | null = null;
  private htmlView: EditorView | null = null;
  private readyReported = false;
  private recent: RecentProject[] = [];
  private journal: UnsavedJournal | null = null;
  private journalTimer: ReturnType<typeof setTimeout> | null = null;
  /** Sending, the inbox, the history and export. */
  private mail!: Mailroom;
  /** Client support and the size of every data set, in the preview pane's Clients tab. */
  private support!: SupportView;
  private scheduleSizes: Debounced;
  /** Creating, renaming, duplicating and deleting templates and data sets. */
  private readonly actions: TemplateActions;

  private els!: {
    root: HTMLElement;
    projectButton: HTMLButtonElement;
    saveState: HTMLElement;
    saveButton: HTMLButtonElement;
    workspace: HTMLElement;
    editorHost: HTMLElement;
    editorEmpty: HTMLElement;
    previewPane: HTMLElement;
    dataSetSelect: HTMLSelectElement;
    previewHeader: HTMLElement;
    previewBody: HTMLElement;
    frameStage: HTMLElement;
    compareSelect: HTMLSelectElement;
    previewNotice: HTMLElement;
    scaleLabel: HTMLElement;
    previewOptions: HTMLElement;
    previewEmpty: HTMLElement;
    sourceHost: HTMLElement;
    textView: HTMLElement;
    subjectView: HTMLElement;
    status: HTMLElement;
    customWidthInput: HTMLInputElement;
    toasts: HTMLElement;
    welcome: HTMLElement;
  };

  constructor(
    private readonly mount: HTMLElement,
    private readonly backend: Backend,
  ) {
    this.store = new Store(initialState((key) => localStorage.getItem(`letterpress.${key}`)));
    this.schedulePreview = debounceAsync(() => this.renderPreview(), () => previewDelay(this.lastWorkMs, this.editGapMs));
    this.scheduleSizes = debounceAsync(() => this.measureSizes(), SIZES_DEBOUNCE_MS);
    this.actions = new TemplateActions(backend, this.store, {
      buffers: () => this.buffers,
      syncBuffers: () => this.syncBuffers(),
      forget: (match) => {
        for (const path of [...this.states.keys()]) if (match(path)) this.states.delete(path);
      },
      selectTemplate: (name) => this.selectTemplate(name),
      selectDataSet: (name) => this.selectDataSet(name),
      openFile: (path) => this.openFile(path),
      showNoTemplates: () => this.showNoTemplates(),
      refreshPreview: () => this.schedulePreview.flush(),
      toast: (message, level) => this.toast(message, level),
    });
    window.letterpressTimings = [];
  }

  // ---- start-up -------------------------------------------------------------------------------

  /** The state the panels render from. */
  private get s(): Readonly<WorkspaceState> {
    return this.store.state;
  }

  async start(): Promise<void> {
    this.loadSettings();
    this.build();
    this.subscribe();
    this.applyTheme();
    this.bindKeys();
    await this.backend.onProjectChanged((event) => void this.onProjectChanged(event));
    await this.backend.onCloseRequested(() => void this.onCloseRequested());
    try {
      const project = await this.backend.openProject();
      if (project) await this.showProject(project);
      else await this.showWelcome();
    } catch (error) {
      await this.showWelcome(errorText(error).message);
    }
    this.mount.dataset.state = "ready";
  }

  private loadSettings(): void {
    const saved = (key: string) => localStorage.getItem(`letterpress.${key}`);
    const sidebar = saved("sidebarWidth");
    const preview = saved("previewWidth");
    if (sidebar) this.mount.style.setProperty("--sidebar-width", sidebar);
    if (preview) this.mount.style.setProperty("--preview-width", preview);
  }

  private saveSetting(key: string, value: string): void {
    localStorage.setItem(`letterpress.${key}`, value);
  }

  // ---- layout ---------------------------------------------------------------------------------

  private build(): void {
    setModalRoot(this.mount);
    const projectButton = el("button", { class: "project-button", "data-testid": "project-button", title: `Open another project (${MOD}O)` }, "No project");
    const saveState = el("span", { class: "save-state", "data-testid": "save-state" });
    const saveButton = el("button", { class: "primary small", "data-testid": "save", title: `Save all changes (${MOD}S)` }, "Save");
    const themeButton = el("button", { class: "icon-button", "data-testid": "theme-toggle", title: "App theme: system, light or dark", "aria-label": "App theme" });
    const header = el(
      "header",
      { class: "topbar" },
      el("div", { class: "brand" }, el("span", { class: "brand-mark" }, "L"), el("span", { class: "brand-name" }, "Letterpress")),
      projectButton,
      el("div", { class: "spacer" }),
      el("button", { class: "ghost small", "data-testid": "quick-open", title: `Go to template (${MOD}P)` }, el("span", {}, "Go to template"), el("kbd", {}, `${MOD}P`)),
      saveState,
      saveButton,
      themeButton,
    );

    const sidebar = new Sidebar(this.store, {
      select: (name) => void this.selectTemplate(name),
      open: (path) => void this.openFile(path),
      actions: (name) => void this.actions.templateMenu(name),
      create: () => void this.actions.create(),
    }).element;

    const tabs = new EditorTabs(this.store, { open: (path) => void this.openFile(path), format: () => this.format() });
    const banner = new ConflictBanner(this.store, { resolve: (path, choice) => void this.resolveConflict(path, choice) }).element;
    const editorHost = el("div", { class: "editor-host", "data-testid": "editor" });
    const editorEmpty = el("div", { class: "empty-state editor-empty", "data-testid": "editor-empty" });
    const problemsPanel = new ProblemsPanel(this.store, { jump: (d) => void this.goTo(d.file, d.start) });
    const editorPane = el(
      "section",
      { class: "editor-pane", "aria-label": "Editor" },
      tabs.element,
      banner,
      editorHost,
      editorEmpty,
      problemsPanel.element,
    );

    const dataSetSelect = el("select", { class: "data-set-select", "data-testid": "data-set-select", title: `Data set (${MOD}Shift+D)`, "aria-label": "Data set" });
    const dataSetMenu = el("button", { class: "icon-button", "data-testid": "data-set-menu", title: "Data set actions", "aria-label": "Data set actions" }, "⋯");
    const segmented = (name: string, options: [string, string, string][], current: string) =>
      el(
        "div",
        { class: "segmented", role: "group", "data-group": name },
        ...options.map(([value, label, title]) =>
          el("button", { type: "button", "data-value": value, "data-testid": `${name}-${value}`, class: value === current ? "active" : "", title }, label),
        ),
      );
    const customWidthInput = el("input", { type: "number", min: "240", max: "1600", step: "10", value: String(this.s.customWidth), class: "width-input", "data-testid": "custom-width", "aria-label": "Custom width in pixels" });
    const previewTabs = segmented(
      "tab",
      [
        ["preview", "Preview", "The rendered email"],
        ["html", "HTML", "The final HTML, laid out for reading"],
        ["text", "Text", "The plain-text part"],
        ["subject", "Subject", "The subject line"],
        ["clients", "Clients", "Which popular mail clients support what the template uses, and the size of each data set"],
      ],
      this.s.tab,
    );
    const widths = segmented(
      "width",
      [
        ["desktop", "Desktop", "800 px wide"],
        ["mobile", "Mobile", "375 px wide"],
        ["custom", "Custom", "A width of your choice"],
      ],
      this.s.width,
    );
    const colors = segmented(
      "color",
      [
        ["light", "Light", "Light mode"],
        ["dark", "Dark", "Dark mode, as clients that honour prefers-color-scheme show it"],
        ["inverted", "Inverted", "Forced dark mode, as the Gmail and Outlook apps invert colours"],
      ],
      this.s.color,
    );
    const previewHeader = el("div", { class: "inbox-header", "data-testid": "preview-header" });
    // The frames are sandboxed with same-origin access for the app and no scripts for the email;
    // see preview-frames.ts. They always lay the email out at the chosen width; a narrower pane
    // scales it down.
    const hooks: PaneHooks = {
      loaded: (pane) => this.onPaneLoaded(pane),
      clicked: (pane, marker) => void this.onPreviewClick(pane, marker),
      scrolled: (pane) => this.onPaneScrolled(pane),
    };
    this.main = new PreviewPane("preview-frame", hooks);
    this.second = new PreviewPane("compare-frame", hooks);
    this.second.element.hidden = true;
    const frameStage = el("div", { class: "frame-stage" }, this.main.element, this.second.element);
    const scaleLabel = el("span", { class: "scale-label", "data-testid": "frame-scale" });
    const compare = segmented(
      "compare",
      [
        ["off", "One view", "One view of the email"],
        ["widths", "Widths", "Desktop and mobile side by side, scrolling together"],
        ["data", "Data sets", "This data set next to another, scrolling together"],
      ],
      this.s.compareMode,
    );
    const compareSelect = el("select", { class: "data-set-select", "data-testid": "compare-data-set", "aria-label": "Data set shown beside" });
    const previewOptions = el(
      "div",
      { class: "pane-bar preview-options" },
      widths,
      customWidthInput,
      scaleLabel,
      el("div", { class: "spacer" }),
      compare,
      compareSelect,
      colors,
      el("div", { class: "send-slot", "data-slot": "send" }),
    );
    const previewNotice = el("div", { class: "preview-notice", hidden: true, "data-testid": "preview-notice" });
    const sourceHost = el("div", { class: "source-view", hidden: true, "data-testid": "html-source" });
    const textView = el("pre", { class: "text-view", hidden: true, "data-testid": "text-part" });
    const subjectView = el("div", { class: "subject-view", hidden: true, "data-testid": "subject-view" });
    const previewEmpty = el("div", { class: "empty-state preview-empty", hidden: true, "data-testid": "preview-empty" });
    this.support = new SupportView({
      jump: (place) => void this.goTo(place.file, place.start),
      copy: (url) => void this.copyText(url),
    });
    const previewBody = el("div", { class: "preview-body" }, previewNotice, previewEmpty, frameStage, sourceHost, textView, subjectView, this.support.element);
    const status = el("footer", { class: "preview-status", "data-testid": "preview-status" });
    const previewPane = el(
      "section",
      { class: "preview-pane", "aria-label": "Preview", "data-testid": "preview-pane" },
      el("div", { class: "pane-bar preview-bar" }, previewTabs, el("div", { class: "spacer" }), el("div", { class: "data-set-picker" }, el("span", { class: "label" }, "Data"), dataSetSelect, dataSetMenu)),
      previewOptions,
      previewHeader,
      previewBody,
      status,
    );

    const welcome = el("div", { class: "welcome", hidden: true, "data-testid": "welcome" });
    const workspace = el(
      "main",
      { class: "workspace" },
      sidebar,
      el("div", { class: "resizer", "data-resize": "sidebar", role: "separator", "aria-label": "Resize the template list" }),
      editorPane,
      el("div", { class: "resizer", "data-resize": "preview", role: "separator", "aria-label": "Resize the preview" }),
      previewPane,
    );
    const toasts = el("div", { class: "toasts", "aria-live": "polite", "data-testid": "toasts" });
    this.mount.replaceChildren(header, workspace, welcome, toasts);

    // Sending, the inbox, the history and export: their own views and top bar controls.
    this.mail = new Mailroom(this.backend, workspace, {
      sendContext: () => this.sendContext(),
      exportContext: () => ({ unsaved: this.buffers.dirty().length }),
      templates: () => this.s.project?.templates.map((t) => t.name) ?? [],
      toast: (message, level) => this.toast(message, level),
    });
    projectButton.after(this.mail.navigation);
    saveState.before(this.mail.actions);
    workspace.after(this.mail.host);
    document.addEventListener("keydown", (e) => this.mail.onKey(e), true);

    this.els = {
      root: this.mount,
      projectButton,
      saveState,
      saveButton,
      workspace,
      editorHost,
      editorEmpty,
      previewPane,
      dataSetSelect,
      previewHeader,
      previewBody,
      frameStage,
      compareSelect,
      previewNotice,
      scaleLabel,
      previewOptions,
      previewEmpty,
      sourceHost,
      textView,
      subjectView,
      status,
      customWidthInput,
      toasts,
      welcome,
    };

    projectButton.addEventListener("click", () => void this.projectMenu());
    saveButton.addEventListener("click", () => void this.saveAll());
    themeButton.addEventListener("click", () => this.cycleTheme());
    header.querySelector("[data-testid=quick-open]")!.addEventListener("click", () => void this.quickOpen());
    dataSetSelect.addEventListener("change", () => void this.selectDataSet(dataSetSelect.value));
    dataSetMenu.addEventListener("click", () => void this.actions.dataSetMenu());
    previewTabs.addEventListener("click", (e) => this.onSegment(e, (v) => this.setTab(v as PreviewTab)));
    widths.addEventListener("click", (e) => this.onSegment(e, (v) => this.store.update({ width: v as WidthMode })));
    colors.addEventListener("click", (e) => this.onSegment(e, (v) => this.store.update({ color: v as ColorMode })));
    customWidthInput.addEventListener("change", () => {
      const value = Math.min(Math.max(Number(customWidthInput.value) || 480, 240), 1600);
      customWidthInput.value = String(value);
      this.store.update({ customWidth: value, width: "custom" });
    });
    compare.addEventListener("click", (e) => this.onSegment(e, (v) => this.setCompare(v as CompareMode)));
    compareSelect.addEventListener("change", () => {
      this.renderedKey = null;
      this.store.update({ compareDataSet: compareSelect.value });
      void this.schedulePreview.flush();
    });
    new ResizeObserver(() => this.fitFrame()).observe(frameStage);
    this.bindResizers();
    this.updateThemeButton(themeButton);
    this.applyPreviewLayout();
  }

  /** Each panel renders from the state when what it shows changes; nothing renders by hand. */
  private subscribe(): void {
    const on = (keys: (keyof WorkspaceState)[], render: () => void) => this.store.subscribe(keys, render);
    for (const [field, key] of Object.entries(SAVED_SETTINGS)) {
      on([field as keyof WorkspaceState], () => this.saveSetting(key, String(this.s[field as keyof typeof SAVED_SETTINGS])));
    }
    on(["theme"], () => {
      this.applyTheme();
      this.updateThemeButton(this.mount.querySelector("[data-testid=theme-toggle]")!);
    });
    on(["project", "dirty", "conflicts"], () => this.renderSaveState());
    on(["dirty", "conflicts"], () => this.persistUnsaved());
    on(["project", "template", "dataSet", "activePath", "previewFor"], () => this.renderDataSets());
    on(["preview", "lastGood", "previewError", "previewMessage"], () => this.showPreview());
    on(["activePath", "previewFor"], () => this.renderNotice());
    on(["preview", "project"], () => this.applyDiagnosticsToEditor());
    on(["tab"], () => this.showTab());
    on(["color"], () => this.reloadFrames());
    on(["tab", "width", "customWidth", "color", "compareMode"], () => this.applyPreviewLayout());
    on(["compareMode"], () => this.showCompareMode());
    on(["compareResult"], () => this.showCompare());
    on(["compareMode", "compareDataSet", "project", "template", "activePath", "previewFor"], () => this.renderCompareSelect());
    on(["sizes"], () => this.renderSupport());
  }

  /** Takes the unsaved and conflicting files from the buffers into the state. */
  private syncBuffers(): void {
    this.store.update({
      dirty: this.buffers.dirty().map((b) => b.path),
      conflicts: this.buffers.conflicts().map((b) => ({ path: b.path, kind: b.conflict!.kind })),
    });
  }

  private onSegment(event: Event, handle: (value: string) => void): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-value]");
    if (!button) return;
    const group = button.parentElement!;
    for (const b of group.querySelectorAll("button")) b.classList.toggle("active", b === button);
    handle(button.dataset.value!);
  }

  private bindResizers(): void {
    for (const handle of this.mount.querySelectorAll<HTMLElement>(".resizer")) {
      handle.addEventListener("pointerdown", (down) => {
        down.preventDefault();
        handle.setPointerCapture(down.pointerId);
        const which = handle.dataset.resize!;
        const rect = this.els.workspace.getBoundingClientRect();
        document.body.classList.add("resizing");
        const move = (e: PointerEvent) => {
          if (which === "sidebar") {
            const width = Math.min(Math.max(e.clientX - rect.left, 180), 420);
            this.mount.style.setProperty("--sidebar-width", `${width}px`);
          } else {
            const width = Math.min(Math.max(rect.right - e.clientX, 340), rect.width - 520);
            this.mount.style.setProperty("--preview-width", `${width}px`);
          }
        };
        const up = () => {
          handle.removeEventListener("pointermove", move);
          handle.removeEventListener("pointerup", up);
          document.body.classList.remove("resizing");
          this.saveSetting("sidebarWidth", this.mount.style.getPropertyValue("--sidebar-width") || "");
          this.saveSetting("previewWidth", this.mount.style.getPropertyValue("--preview-width") || "");
        };
        handle.addEventListener("pointermove", move);
        handle.addEventListener("pointerup", up);
      });
    }
  }

  private bindKeys(): void {
    document.addEventListener(
      "keydown",
      (e) => {
        const mod = isMac ? e.metaKey : e.ctrlKey;
        if (!mod) return;
        const key = e.key.toLowerCase();
        if (key === "s" && !e.shiftKey) {
          e.preventDefault();
          void this.saveAll();
        } else if (key === "p" && !e.shiftKey) {
          e.preventDefault();
          void this.quickOpen();
        } else if (key === "d" && e.shiftKey) {
          e.preventDefault();
          void this.actions.switchDataSet();
        } else if (key === "o" && !e.shiftKey) {
          e.preventDefault();
          void this.openOther();
        }
      },
      true,
    );
  }

  // ---- theme ----------------------------------------------------------------------------------

  private applyTheme(): void {
    const theme = this.s.theme;
    const dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  }

  private cycleTheme(): void {
    const theme = this.s.theme;
    this.store.update({ theme: theme === "system" ? "light" : theme === "light" ? "dark" : "system" });
  }

  private updateThemeButton(button: HTMLElement): void {
    const theme = this.s.theme;
    button.textContent = theme === "light" ? "☀" : theme === "dark" ? "☾" : "◐";
    button.title = `App theme: ${theme} (click to change)`;
    button.dataset.theme = theme;
  }

  // ---- projects -------------------------------------------------------------------------------

  private async showWelcome(problem?: string): Promise<void> {
    this.store.update({ project: null });
    this.mail.setProjectOpen(false);
    this.recent = await this.backend.recentProjects().catch(() => []);
    this.els.workspace.hidden = true;
    this.els.welcome.hidden = false;
    this.mount.dataset.project = "none";
    this.els.projectButton.textContent = "No project";
    const recents = this.recent.filter((r) => r.exists);
    const openButton = el("button", { class: "primary", "data-testid": "open-folder" }, "Open a project folder…");
    openButton.addEventListener("click", () => void this.openOther());
    this.els.welcome.replaceChildren(
      el(
        "div",
        { class: "welcome-card" },
        el("div", { class: "brand-mark large" }, "L"),
        el("h1", {}, "Letterpress"),
        el("p", { class: "lead" }, "Design transactional email in MJML, previewed with real data as you type."),
        problem ? el("p", { class: "welcome-problem", "data-testid": "welcome-problem" }, problem) : null,
        openButton,
        recents.length
          ? el(
              "div",
              { class: "recent" },
              el("h2", {}, "Recent projects"),
              el(
                "ul",
                {},
                ...recents.map((r) => {
                  const b = el("button", { class: "recent-item", title: r.path }, el("strong", {}, r.name), el("span", {}, r.path));
                  b.addEventListener("click", () => void this.openPath(r.path));
                  return el("li", {}, b);
                }),
              ),
            )
          : null,
      ),
    );
    await this.reportReady();
  }

  private async openPath(path: string): Promise<void> {
    if (!(await this.confirmLeave())) return;
    try {
      const project = await this.backend.openProject(path);
      if (project) await this.showProject(project);
    } catch (error) {
      this.toast(errorText(error).message, "error");
    }
  }

  private async openOther(): Promise<void> {
    if (!(await this.confirmLeave())) return;
    try {
      const project = await this.backend.pickProject();
      if (project) await this.showProject(project);
    } catch (error) {
      this.toast(errorText(error).message, "error");
    }
  }

  private async projectMenu(): Promise<void> {
    this.recent = await this.backend.recentProjects().catch(() => []);
    const items = [
      { id: "::open", label: "Open a folder…", detail: `${MOD}O` },
      ...this.recent.filter((r) => r.exists && r.path !== this.s.project?.root).map((r) => ({ id: r.path, label: r.name, detail: r.path })),
    ];
    const choice = await quickPick("project-picker", "Open a project", items);
    if (choice === "::open") await this.openOther();
    else if (choice) await this.openPath(choice);
  }

  /** Asks before dropping unsaved edits when another project is opened. */
  private async confirmLeave(): Promise<boolean> {
    const dirty = this.buffers.dirty();
    if (!dirty.length) return true;
    const answer = await choose("leave-dialog", "Unsaved changes", `${dirty.length} file${dirty.length > 1 ? "s have" : " has"} unsaved changes.`, [
      { id: "cancel", label: "Cancel" },
      { id: "discard", label: "Discard", kind: "danger" },
      { id: "save", label: "Save all", kind: "primary" },
    ]);
    if (answer === "save") return this.saveAll();
    if (answer === "discard") await this.journal?.write([]);
    return answer === "discard";
  }

  private async showProject(project: ProjectView): Promise<void> {
    // The journal of the project before is done with; the new one is read before it is written.
    this.journal = null;
    this.buffers = new BufferStore();
    this.states.clear();
    this.usage.clear();
    this.renderedKey = null;
    this.store.update({ project, preview: null, lastGood: null, template: null, activePath: null, dirty: [], conflicts: [] });
    this.els.welcome.hidden = true;
    this.els.workspace.hidden = false;
    this.mount.dataset.project = "open";
    this.mail.setProjectOpen(true);
    this.els.projectButton.textContent = project.name;
    this.els.projectButton.title = `${project.root} — open another project (${MOD}O)`;
    document.title = `${project.name} — Letterpress`;
    this.journal = new UnsavedJournal({ read: () => this.backend.readJournal(), write: (text) => this.backend.writeJournal(text) });
    const first = project.templates[0];
    if (first) await this.selectTemplate(first.name);
    else this.showNoTemplates();
    await this.restoreUnsaved();
    this.persistUnsaved();
    await this.reportReady();
  }

  /** Offers back the unsaved edits of an earlier session that ended without saving them. */
  private async restoreUnsaved(): Promise<void> {
    const entries = (await this.journal?.read()) ?? [];
    if (!entries.length) return;
    let restored = 0;
    let conflicts = 0;
    for (const entry of entries) {
      const disk = await this.backend.readFile(entry.path).catch(() => null);
      if (!disk) continue;
      const result = this.buffers.restore(entry.path, disk, entry.text, entry.baseHash);
      this.states.delete(entry.path);
      if (result === "restored") restored++;
      if (result === "conflict") conflicts++;
    }
    this.syncBuffers();
    if (this.s.activePath) await this.openFile(this.s.activePath);
    this.schedulePreview();
    const files = restored + conflicts;
    if (files) {
      this.toast(
        `Restored unsaved changes to ${files} file${files > 1 ? "s" : ""} from your last session${conflicts ? `; ${conflicts} changed on disk since, so choose what to keep` : ""}.`,
        conflicts ? "warning" : "info",
      );
    }
  }

  /** Writes the unsaved buffers to the journal. */
  private writeJournal(): void {
    if (this.journalTimer) clearTimeout(this.journalTimer);
    this.journalTimer = null;
    void this.journal?.write(this.buffers.dirty().map((b) => ({ path: b.path, text: b.text, baseHash: b.diskHash })));
  }

  private async reportReady(): Promise<void> {
    if (this.readyReported) return;
    this.readyReported = true;
    // Wait for the first frame with content to be painted before calling the app interactive.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    try {
      const ready = await this.backend.appReady();
      this.mount.dataset.readyMs = ready.sinceStartMs.toFixed(0);
    } catch {
      // Only a measurement; the app works without it.
    }
  }

  private showNoTemplates(): void {
    this.view?.destroy();
    this.view = null;
    this.store.update({ template: null, activePath: null, previewMessage: "Nothing to preview yet." });
    const create = el("button", { class: "primary", "data-testid": "create-first-template" }, "New template");
    create.addEventListener("click", () => void this.actions.create());
    this.els.editorEmpty.hidden = false;
    this.els.editorEmpty.replaceChildren(el("h2", {}, "This project has no templates yet"), el("p", {}, "Start from one of the bundled examples or from a blank page."), create);
    this.els.editorHost.hidden = true;
  }

  // ---- templates and files --------------------------------------------------------------------

  private templateView(name: string | null) {
    return templateView(this.s, name);
  }

  async selectTemplate(name: string, path?: string): Promise<void> {
    const t = this.templateView(name);
    if (!t) return;
    this.store.update({ template: name, dataSet: dataSetFor(t, this.s.dataSet) });
    await this.openFile(path ?? `${name}/template.mjml`);
  }

  private renderDataSets(): void {
    const t = this.templateView(previewTemplate(this.s));
    const select = this.els.dataSetSelect;
    select.replaceChildren(...(t?.dataSets ?? []).map((d) => el("option", { value: d, selected: d === this.s.dataSet }, d)));
    if (!t?.dataSets.length) select.append(el("option", { value: "" }, "no data"));
    select.disabled = !t?.dataSets.length;
    (select.parentElement as HTMLElement).hidden = !t;
  }

  private async selectDataSet(name: string): Promise<void> {
    const t = this.templateView(previewTemplate(this.s));
    if (!t || !t.dataSets.includes(name)) return;
    const wasDataTab = this.s.activePath?.includes("/data/") ?? false;
    this.store.update({ dataSet: name });
    if (wasDataTab && this.s.template === t.name) await this.openFile(`${t.name}/data/${name}.json`);
    await this.schedulePreview.flush();
  }

  /** Opens a file in the editor, reading it from disk the first time. */
  async openFile(path: string, at?: { line: number; column: number }): Promise<void> {
    if (!this.buffers.get(path)) {
      try {
        const file = await this.backend.readFile(path);
        this.buffers.open(path, file);
      } catch (error) {
        const { code, message } = errorText(error);
        if (code === "not-found" && path.endsWith("/text.hbs")) return;
        this.toast(code === "not-found" ? `${path} does not exist any more.` : message, "error");
        return;
      }
    }
    const buffer = this.buffers.get(path)!;
    // A partial belongs to no template; data sets and subjects belong to theirs.
    // Files of another template switch to that template first; partials belong to none.
    const owner = path.split("/")[0];
    if (this.templateView(owner) && owner !== this.s.template) {
      await this.selectTemplate(owner, path);
      return;
    }
    const dataSet = path.includes("/data/") ? path.split("/data/")[1].replace(/\.json$/, "") : this.s.dataSet;
    if (this.view && this.s.activePath) this.states.set(this.s.activePath, this.view.state);
    let state = this.states.get(path);
    if (!state || state.doc.toString() !== buffer.text) {
      state = createState(path, buffer.kind, buffer.text, { onChange: (p, text) => this.onEdit(p, text), onSelection: () => this.followCursor() });
      this.states.set(path, state);
    }
    this.els.editorEmpty.hidden = true;
    this.els.editorHost.hidden = false;
    if (!this.view) {
      this.view = new EditorView({ state, parent: this.els.editorHost });
    } else {
      this.view.setState(state);
    }
    this.store.update({ activePath: path, dataSet });
    this.applyDiagnosticsToEditor();
    if (at) this.reveal(at.line, at.column);
    else this.view.focus();
    if (fileKind(path) === "mjml" && !this.templateView(owner)) await this.choosePreviewForPartial(path);
    await this.schedulePreview.flush();
  }

  private onEdit(path: string, text: string): void {
    const wasDirty = this.buffers.isDirty(path);
    this.buffers.edit(path, text);
    this.editedAt = performance.now();
    this.editGapMs = this.lastEditAt === null ? Number.POSITIVE_INFINITY : this.editedAt - this.lastEditAt;
    this.lastEditAt = this.editedAt;
    if (!this.journalTimer) this.journalTimer = setTimeout(() => this.writeJournal(), 400);
    if (wasDirty !== this.buffers.isDirty(path)) this.syncBuffers();
    this.schedulePreview();
  }

  private format(): void {
    if (!this.view || !this.s.activePath) return;
    const kind: FileKind = fileKind(this.s.activePath);
    if (!formatDocument(this.view, kind)) this.toast(kind === "mjml" || kind === "data" ? "Already tidy." : "This kind of file has no formatter.", "info");
  }

  private reveal(line: number, column: number): void {
    if (!this.view) return;
    const range = diagnosticRange(this.view.state.doc, { start: { line, column }, end: { line, column } } as Diagnostic);
    this.view.dispatch({ selection: { anchor: range.from }, effects: EditorView.scrollIntoView(range.from, { y: "center" }) });
    this.view.focus();
  }

  // ---- saving and conflicts -------------------------------------------------------------------

  private renderSaveState(): void {
    const { text, level } = saveState(this.s.dirty.length, this.s.conflicts.length);
    this.els.saveState.textContent = text;
    this.els.saveState.dataset.level = level;
    this.els.saveButton.disabled = this.s.dirty.length === 0;
  }

  /** Writes the unsaved buffers to the journal and tells the shell whether there are any. */
  private persistUnsaved(): void {
    this.writeJournal();
    void this.backend.setUnsaved(this.s.dirty.length > 0).catch(() => undefined);
  }

  /** Saves every file with unsaved edits; answers whether all of them were saved. */
  async saveAll(): Promise<boolean> {
    let ok = true;
    for (const buffer of this.buffers.dirty()) {
      if (buffer.conflict) {
        ok = false;
        continue;
      }
      ok = (await this.saveFile(buffer.path, buffer.diskHash)) && ok;
    }
    this.syncBuffers();
    if (!ok && this.buffers.conflicts().length) this.toast("Some files changed on disk. Choose what to keep before saving them.", "warning");
    return ok;
  }

  private async saveFile(path: string, base: string | null): Promise<boolean> {
    const buffer = this.buffers.get(path);
    if (!buffer) return true;
    const text = buffer.text;
    try {
      const { hash } = await this.backend.saveFile(path, text, base);
      this.buffers.saved(path, text, hash);
      return true;
    } catch (error) {
      const { code, message } = errorText(error);
      if (code === "conflict") {
        // The file changed under us; find out what is there and let the person choose.
        const disk = await this.backend.readFile(path).catch(() => null);
        this.buffers.diskChanged(path, disk);
        this.syncBuffers();
        return false;
      }
      this.toast(`Could not save ${path}. ${message}`, "error");
      return false;
    }
  }

  private async resolveConflict(path: string, choice: ConflictChoice): Promise<void> {
    const buffer = this.buffers.get(path);
    if (!buffer?.conflict) return;
    if (choice === "compare") {
      if (buffer.conflict.kind !== "changed") return;
      const picked = await compareVersions(path, buffer.text, buffer.conflict.theirsText);
      if (!picked) return;
      if (picked.choice === "mine" && picked.text !== buffer.text) this.replaceBufferText(path, picked.text);
      return this.resolveConflict(path, picked.choice);
    }
    if (choice === "mine") {
      const base = this.buffers.keepMine(path);
      await this.saveFile(path, base);
    } else {
      const result = this.buffers.takeTheirs(path);
      if (result === "closed") {
        this.states.delete(path);
        this.syncBuffers();
        if (this.s.activePath === path && this.s.template) await this.openFile(`${this.s.template}/template.mjml`);
      } else {
        this.replaceEditorText(path, this.buffers.get(path)!.text);
      }
    }
    this.syncBuffers();
    this.schedulePreview();
  }

  /** Puts new text into a buffer and its editor as a typed change, so it is unsaved. */
  private replaceBufferText(path: string, text: string): void {
    this.buffers.edit(path, text);
    this.replaceEditorText(path, text);
    this.syncBuffers();
  }

  /** Swaps an editor's content without treating it as an edit, keeping the cursor where it can. */
  private replaceEditorText(path: string, text: string): void {
    if (this.view && this.s.activePath === path) {
      const current = this.view.state.doc.toString();
      if (current === text) return;
      const head = Math.min(this.view.state.selection.main.head, text.length);
      this.view.dispatch({ changes: { from: 0, to: current.length, insert: text }, selection: { anchor: head }, annotations: [] });
      // The dispatch ran the edit hook; the buffer is in step with disk, not dirty.
      const buffer = this.buffers.get(path);
      if (buffer && buffer.diskText === text) this.buffers.edit(path, text);
    } else {
      this.states.delete(path);
    }
  }

  private async onProjectChanged(event: ProjectChanged): Promise<void> {
    if (!this.s.project || event.project.root !== this.s.project.root) return;
    this.renderedKey = null;
    this.usage.clear();
    this.store.update({ project: event.project });
    const paths = event.rescan ? this.buffers.all().map((b) => b.path) : event.changes.map((c) => c.path);
    for (const path of paths) {
      const buffer = this.buffers.get(path);
      if (!buffer) continue;
      const change = event.changes.find((c) => c.path === path);
      if (change && change.hash && change.hash === buffer.diskHash) continue;
      const disk = change?.kind === "removed" ? null : await this.backend.readFile(path).catch(() => null);
      const reaction = this.buffers.diskChanged(path, disk);
      if (reaction === "reloaded") this.replaceEditorText(path, this.buffers.get(path)!.text);
      if (reaction === "closed") this.states.delete(path);
    }
    this.syncBuffers();
    // The current template may have been renamed or deleted elsewhere.
    const template = this.s.template;
    if (template && !this.templateView(template)) {
      const first = event.project.templates[0];
      if (first) await this.selectTemplate(first.name);
      else this.showNoTemplates();
    } else if (this.s.activePath && !this.buffers.get(this.s.activePath) && template) {
      await this.openFile(`${template}/template.mjml`);
    }
    // The data set in use may have been deleted or renamed elsewhere.
    const current = this.templateView(previewTemplate(this.s));
    const dataSet = this.s.dataSet;
    if (current && dataSet && !current.dataSets.includes(dataSet)) {
      const gone = `${current.name}/data/${dataSet}.json`;
      this.store.update({ dataSet: current.dataSets[0] ?? null });
      if (this.s.activePath === gone) await this.openFile(`${current.name}/template.mjml`);
    }
    this.schedulePreview();
  }

  private async onCloseRequested(): Promise<void> {
    const dirty = this.buffers.dirty();
    if (!dirty.length) {
      await this.backend.closeWindow();
      return;
    }
    const answer = await choose("close-dialog", "Save changes before closing?", `${dirty.length} file${dirty.length > 1 ? "s have" : " has"} unsaved changes: ${dirty.map((b) => b.path).join(", ")}.`, [
      { id: "cancel", label: "Cancel" },
      { id: "discard", label: "Close without saving", kind: "danger" },
      { id: "save", label: "Save and close", kind: "primary" },
    ]);
    if (answer === "discard") await this.journal?.write([]);
    if (answer === "discard" || (answer === "save" && (await this.saveAll()))) await this.backend.closeWindow();
  }

  private async quickOpen(): Promise<void> {
    const { project, template } = this.s;
    if (!project) return;
    const items = [
      ...project.templates.map((t) => ({ id: `t:${t.name}`, label: t.name, detail: "template" })),
      ...project.partials.map((p) => ({ id: `p:${p}`, label: p, detail: "partial" })),
    ];
    const choice = await quickPick("quick-open", "Go to a template or partial", items, template ? `t:${template}` : undefined);
    if (!choice) return;
    if (choice.startsWith("t:")) await this.selectTemplate(choice.slice(2));
    else await this.openFile(choice.slice(2));
  }

  // ---- preview --------------------------------------------------------------------------------

  private async choosePreviewForPartial(path: string): Promise<void> {
    let users = this.usage.get(path);
    if (!users) {
      users = await this.backend.templatesUsing(path).catch(() => []);
      this.usage.set(path, users);
    }
    const template = this.s.template;
    const previewFor = users.includes(template ?? "") ? template : (users[0] ?? null);
    const t = this.templateView(previewFor);
    const dataSet = t && !t.dataSets.includes(this.s.dataSet ?? "") ? (t.dataSets[0] ?? null) : this.s.dataSet;
    this.store.update({ previewFor, dataSet });
  }

  private async renderPreview(): Promise<void> {
    const template = previewTemplate(this.s);
    if (!template) {
      this.store.update({ previewMessage: this.s.activePath ? "No template includes this partial, so there is nothing to preview." : "Nothing to preview yet." });
      return;
    }
    const buffers = this.buffers.dirty().map((b) => ({ path: b.path, text: b.text }));
    const t = this.templateView(template);
    const dataSet = dataSetFor(t, this.s.dataSet);
    let other: string | null = null;
    if (this.s.compareMode === "data") {
      other = otherDataSet(t?.dataSets ?? [], dataSet, this.s.compareDataSet);
      this.store.update({ compareDataSet: other });
    }
    // Nothing the preview depends on changed (a file switch, a keystroke undone): no render.
    const key = `${previewKey(template, dataSet, buffers)}\u0000${other ?? ""}`;
    if (key === this.renderedKey && (this.s.preview || this.s.previewError)) {
      this.editedAt = null;
      this.followCursor();
      return;
    }
    this.debounceEndedAt = performance.now();
    const editedAt = this.editedAt;
    this.editedAt = null;
    try {
      const result = await this.backend.renderPreview({ template, dataSet, buffers });
      this.roundTripMs = performance.now() - this.debounceEndedAt;
      this.renderedKey = key;
      const failed = result.diagnostics.some((d) => d.severity === "error") && !result.html;
      const lastGood = failed ? this.s.lastGood : result;
      if (result.html || lastGood) this.pendingTiming = { editedAt, loadStart: performance.now(), compileMs: result.compileMs ?? 0, template };
      this.store.update({ preview: result, lastGood, previewError: null, previewMessage: null });
      // The view beside shows another data set: rendered after the main one, which comes first.
      if (other !== null) {
        const beside = await this.backend.renderPreview({ template, dataSet: other, buffers }).catch(() => null);
        if (beside?.html) this.store.update({ compareResult: beside });
      }
    } catch (error) {
      const { code, message } = errorText(error);
      this.renderedKey = key;
      this.store.update({ previewError: code === "unknown-template" ? "This template no longer exists." : message, preview: null, previewMessage: null });
    }
  }

  private pendingTiming: { editedAt: number | null; loadStart: number; compileMs: number; template: string } | null = null;

  /** Shows the preview in the state: a message, the render's error, or the email. */
  private showPreview(): void {
    const { preview: result, previewError, previewMessage } = this.s;
    if (previewMessage !== null || previewError !== null) {
      this.showPreviewMessage(previewMessage ?? previewError!);
      return;
    }
    const shown = shownResult(this.s);
    const template = previewTemplate(this.s);
    this.renderNotice();

    // A template that does not compile has no filled subject; show the last one that worked.
    const subject = (result?.html ? result.subject : shown?.subject) ?? "";
    this.els.previewHeader.replaceChildren(
      el("div", { class: "inbox-subject", "data-testid": "preview-subject" }, subject || el("span", { class: "muted" }, "(no subject)")),
      el("div", { class: "inbox-meta" }, `${template ?? ""}${result?.dataSet ? ` · ${result.dataSet}` : ""}`),
    );

    if (shown) {
      // Marker numbers are those of this result: work the outlined one out again.
      this.followCursor(true);
      this.main.load(this.frameHtml(shown));
      if (this.s.compareMode === "widths") this.showCompare();
      this.els.frameStage.classList.toggle("stale", shown !== result);
      if (this.s.tab === "html") this.renderSource(shown.html);
      this.els.textView.textContent = shown.text;
      this.renderSubject(subject);
    }
    this.renderStatus(shown);
    if (this.s.tab === "clients") {
      this.renderSupport();
      this.scheduleSizes();
    }
    if (!shown) this.els.previewEmpty.replaceChildren(el("p", {}, "The preview appears once the template compiles."));
    this.applyPreviewLayout(!shown);
  }

  /** The note above the preview: errors that keep the last good version, or the partial shown. */
  private renderNotice(): void {
    const { preview: result, previewError, previewMessage } = this.s;
    const notice = this.els.previewNotice;
    notice.hidden = true;
    if (previewError !== null || previewMessage !== null) return;
    const shown = shownResult(this.s);
    const note = partialNote(this.s);
    if (result && !result.html) {
      notice.hidden = false;
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      notice.replaceChildren(
        el("strong", {}, `The template has ${errors} error${errors === 1 ? "" : "s"}.`),
        el("span", {}, shown ? " Showing the last version that compiled. Fix the problems listed under the editor." : " Fix the problems listed under the editor to see it."),
      );
    } else if (note) {
      notice.hidden = false;
      notice.classList.add("info");
      notice.replaceChildren(el("span", {}, note));
    }
    if (!note) notice.classList.remove("info");
  }

  /** The document for a preview frame: the marked copy when there is one, in the colour mode. */
  private frameHtml(result: PreviewResult): string {
    return frameDocument(result.markedHtml ?? result.html, this.s.color);
  }

  /** Fills the view beside the main one. */
  private showCompare(): void {
    const shown = shownResult(this.s);
    const { compareMode, compareResult } = this.s;
    if (compareMode === "widths" && shown) {
      this.second.load(this.frameHtml(shown));
      this.second.caption.textContent = `Mobile · ${WIDTHS.mobile} px`;
      this.main.caption.textContent = `Desktop · ${WIDTHS.desktop} px`;
    } else if (compareMode === "data" && compareResult) {
      this.second.load(this.frameHtml(compareResult));
      this.second.caption.textContent = `Data: ${compareResult.dataSet ?? "none"}`;
      this.main.caption.textContent = `Data: ${shown?.dataSet ?? "none"}`;
    }
  }

  private renderCompareSelect(): void {
    const select = this.els.compareSelect;
    const t = this.templateView(previewTemplate(this.s));
    select.hidden = this.s.compareMode !== "data";
    select.replaceChildren(...(t?.dataSets ?? []).map((d) => el("option", { value: d, selected: d === this.s.compareDataSet }, d)));
  }

  private setCompare(mode: CompareMode): void {
    this.renderedKey = null;
    this.store.update({ compareMode: mode, compareResult: null });
    void this.schedulePreview.flush();
  }

  /** A new compare mode: desktop and mobile show the same email at once. */
  private showCompareMode(): void {
    if (this.s.compareMode === "widths") this.showCompare();
  }

  private onPaneLoaded(pane: PreviewPane): void {
    pane.outline(this.outlined);
    if (pane === this.main) this.onFrameLoaded();
    else this.els.previewPane.dataset.compareRendered = String(Number(this.els.previewPane.dataset.compareRendered ?? 0) + 1);
    // The view beside follows the main one.
    if (pane === this.second) pane.ratio = this.main.ratio;
  }

  /** Both views follow the same scroll, in proportion to their heights. */
  private onPaneScrolled(pane: PreviewPane): void {
    if (this.s.compareMode === "off") return;
    const other = pane === this.main ? this.second : this.main;
    other.ratio = pane.ratio;
  }

  /** A click in the preview puts the cursor on the MJML element that wrote what was clicked. */
  private async onPreviewClick(pane: PreviewPane, marker: number | null): Promise<void> {
    const result = pane === this.second && this.s.compareMode === "data" ? this.s.compareResult : shownResult(this.s);
    const place = marker === null ? null : result?.places?.[marker];
    if (!place) return;
    this.els.previewPane.dataset.clickedMarker = String(marker);
    await this.goTo(place.file, place.start);
  }

  /** Outlines, in the preview, the element the editor's cursor is in. */
  private followCursor(force = false): void {
    const result = shownResult(this.s);
    const path = this.s.activePath;
    let marker: number | null = null;
    if (this.view && path && fileKind(path) === "mjml" && result?.places?.length) {
      const head = this.view.state.selection.main.head;
      const line = this.view.state.doc.lineAt(head);
      marker = markerAtCursor(result.places, path, line.number, head - line.from + 1);
    }
    if (marker === this.outlined && !force) return;
    this.outlined = marker;
    this.els.previewPane.dataset.outlined = marker === null ? "" : String(marker);
    this.main.outline(marker);
    if (this.s.compareMode === "widths") this.second.outline(marker);
    // The cursor moved to another element: show it. A new render never moves the view.
    if (!force) this.main.revealOutline();
  }

  private onFrameLoaded(): void {
    const timing = this.pendingTiming;
    this.pendingTiming = null;
    this.els.previewPane.dataset.rendered = String(Number(this.els.previewPane.dataset.rendered ?? 0) + 1);
    if (!timing || timing.editedAt === null) return;
    const debounceEnd = this.debounceEndedAt;
    // A rendering-frame callback runs just before the frame is painted; a task queued from it runs
    // once that frame is out, so its time is when the new preview became visible.
    requestAnimationFrame(() =>
      setTimeout(() => {
        const painted = performance.now();
        const entry: PreviewTiming = {
          template: timing.template,
          totalMs: painted - timing.editedAt!,
          workMs: painted - debounceEnd,
          compileMs: timing.compileMs,
          roundTripMs: this.roundTripMs,
          paintMs: painted - timing.loadStart,
        };
        window.letterpressTimings?.push(entry);
        this.lastWorkMs = entry.workMs;
        this.els.previewPane.dataset.lastWorkMs = entry.workMs.toFixed(1);
      }, 0),
    );
  }

  /** Shows a calm message where the preview would be, when there is nothing to render. */
  private showPreviewMessage(message: string): void {
    this.els.previewNotice.hidden = true;
    this.els.previewEmpty.replaceChildren(el("p", {}, message));
    this.main.clear();
    this.second.clear();
    this.els.previewHeader.replaceChildren();
    this.els.previewHeader.hidden = true;
    this.els.status.replaceChildren();
    this.applyPreviewLayout(true);
  }

  private renderStatus(shown: PreviewResult | null): void {
    const result = this.s.preview;
    if (!result || !shown) {
      this.els.status.replaceChildren();
      return;
    }
    const sizeLevelNow = sizeLevel(shown.htmlBytes);
    const counts = severityCounts(result.diagnostics);
    const level = problemsLevel(result.diagnostics);
    const size = el(
      "span",
      { class: `size size-${sizeLevelNow}`, "data-testid": "message-size", "data-bytes": String(shown.htmlBytes), title: `Gmail clips messages whose HTML is larger than ${formatBytes(GMAIL_CLIP_BYTES)}` },
      `HTML ${formatBytes(shown.htmlBytes)}${shown !== result ? " (last version that compiled)" : ""}`,
    );
    const clip =
      sizeLevelNow === "clipped"
        ? el("span", { class: "badge danger", "data-testid": "gmail-clip" }, "Gmail will clip this message")
        : sizeLevelNow === "near"
          ? el("span", { class: "badge warning", "data-testid": "gmail-clip" }, "Close to Gmail’s 102 KB limit")
          : null;
    this.els.status.replaceChildren(
      ...[size, clip].filter((n): n is HTMLSpanElement => n !== null),
      el("span", { class: "spacer" }),
      counts.errors || counts.warnings
        ? el("span", { class: `status-problems ${level}`, "data-testid": "status-problems" }, countsText(counts))
        : el("span", { class: "status-problems ok", "data-testid": "status-problems" }, counts.infos ? `No problems · ${countsText(counts)}` : "No problems"),
      el("span", { class: "timing", "data-testid": "compile-ms", title: "Time to compile and fill the template" }, `${result.compileMs.toFixed(1)} ms`),
    );
  }

  private renderSource(html: string): void {
    const doc = prettyHtml(html);
    if (!this.htmlView) {
      this.htmlView = new EditorView({
        parent: this.els.sourceHost,
        state: EditorState.create({ doc, extensions: sourceExtensions() }),
      });
    } else if (this.htmlView.state.doc.toString() !== doc) {
      this.htmlView.dispatch({ changes: { from: 0, to: this.htmlView.state.doc.length, insert: doc } });
    }
  }

  private renderSubject(subject: string): void {
    const chars = [...subject].length;
    this.els.subjectView.replaceChildren(
      el("div", { class: "subject-line", "data-testid": "subject-text" }, subject || "(no subject)"),
      el("p", { class: "subject-meta" }, `${chars} character${chars === 1 ? "" : "s"}${chars > 60 ? " · phones usually cut subjects after about 40 to 60 characters" : ""}`),
    );
  }

  private setTab(tab: PreviewTab): void {
    this.store.update({ tab });
    if (tab === "clients") void this.scheduleSizes.flush();
  }

  /** Fills the view of a newly chosen tab: the HTML source, or client support. */
  private showTab(): void {
    const shown = shownResult(this.s);
    if (this.s.tab === "html" && shown) this.renderSource(shown.html);
    if (this.s.tab === "clients") this.renderSupport();
  }

  // ---- client support and sizes ---------------------------------------------------------------

  private renderSupport(): void {
    const template = previewTemplate(this.s);
    const current = this.s.preview?.html ? this.s.preview : null;
    const support = current?.clients ?? this.s.lastGood?.clients ?? null;
    const sizes = this.s.sizes && this.s.sizes.template === template ? this.s.sizes.state : null;
    this.support.render(support, sizes, !current?.clients && support !== null);
  }

  /** Renders every data set of the previewed template to measure its HTML. */
  private async measureSizes(): Promise<void> {
    const template = previewTemplate(this.s);
    if (!template || this.s.tab !== "clients") return;
    if (this.s.sizes?.template !== template) this.store.update({ sizes: { template, state: { status: "loading" } } });
    const buffers = this.buffers.dirty().map((b) => ({ path: b.path, text: b.text }));
    let state: SizesState;
    try {
      state = { status: "ready", sizes: await this.backend.dataSetSizes({ template, buffers }) };
    } catch (error) {
      state = { status: "failed", message: errorText(error).message };
    }
    if (previewTemplate(this.s) !== template) return;
    this.store.update({ sizes: { template, state } });
  }

  private async copyText(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.toast("Address copied.", "success");
    } catch {
      this.toast(`Could not copy the address: ${text}`, "warning");
    }
  }

  /** A new colour mode: the email is shown again in it. */
  private reloadFrames(): void {
    const shown = shownResult(this.s);
    if (shown) this.main.load(this.frameHtml(shown));
    if (this.s.compareMode !== "off") this.showCompare();
  }

  /** Scales the frames down when the pane is narrower than the chosen width. */
  private fitFrame(): void {
    const stage = this.els.frameStage;
    if (stage.hidden || !stage.clientWidth) return;
    const fits = fitFrames(this.s, stage.clientWidth, stage.clientHeight);
    const panes = [this.main, this.second];
    fits.forEach((fit, i) => {
      const pane = panes[i];
      pane.element.dataset.width = fit.mode;
      pane.wrap.style.width = `${fit.width * fit.scale + fit.border}px`;
      pane.wrap.style.height = `${fit.height + fit.border}px`;
      pane.layout(fit.width, fit.scale, fit.height);
      if (i === 0) stage.dataset.scale = fit.scale.toFixed(2);
    });
    this.els.scaleLabel.textContent = fits.length > 1 ? "" : fits[0].label;
  }

  private applyPreviewLayout(empty = false): void {
    this.els.previewEmpty.hidden = !empty;
    if (empty) {
      for (const view of [this.els.frameStage, this.els.sourceHost, this.els.textView, this.els.subjectView, this.support.element]) view.hidden = true;
      return;
    }
    const { color, width, compareMode, tab } = this.s;
    this.els.previewHeader.hidden = false;
    this.els.frameStage.style.setProperty("--client-bg", clientBackground(color));
    this.els.frameStage.dataset.color = color;
    this.els.frameStage.dataset.width = width;
    this.els.frameStage.dataset.compare = compareMode;
    this.second.element.hidden = compareMode === "off";
    for (const pane of [this.main, this.second]) pane.caption.hidden = compareMode === "off";
    this.els.compareSelect.hidden = compareMode !== "data";
    this.els.customWidthInput.hidden = width !== "custom";
    this.els.frameStage.hidden = tab !== "preview";
    // Widths and colour modes only mean something for the rendered email.
    this.els.previewOptions.hidden = tab !== "preview";
    this.els.sourceHost.hidden = tab !== "html";
    this.els.textView.hidden = tab !== "text";
    this.els.subjectView.hidden = tab !== "subject";
    this.support.element.hidden = tab !== "clients";
    for (const b of this.mount.querySelectorAll<HTMLButtonElement>("[data-group] button")) {
      const group = b.parentElement!.dataset.group;
      const current = group === "tab" ? tab : group === "width" ? width : group === "compare" ? compareMode : color;
      b.classList.toggle("active", b.dataset.value === current);
    }
    this.fitFrame();
  }

  // ---- problems -------------------------------------------------------------------------------

  /** Opens `file` with the cursor at `start`, or at its top for a file-level place. */
  private async goTo(file: string, start: { line: number; column: number }): Promise<void> {
    if (!file) return;
    await this.openFile(file, start.line > 0 ? start : undefined);
  }

  /** Shows the diagnostics of the active file inline in the editor. */
  private applyDiagnosticsToEditor(): void {
    const path = this.s.activePath;
    if (!this.view || !path) return;
    const mine = problems(this.s).filter((d) => d.file === path);
    this.view.dispatch(diagnosticsSpec(this.view.state, mine));
  }

  // ---- toasts ---------------------------------------------------------------------------------

  toast(message: string, level: "info" | "success" | "warning" | "error" = "info"): void {
    const node = el("div", { class: `toast ${level}`, role: level === "error" ? "alert" : "status", "data-testid": "toast" }, message);
    const close = el("button", { class: "icon-button", "aria-label": "Dismiss" }, "×");
    close.addEventListener("click", () => node.remove());
    node.append(close);
    this.els.toasts.append(node);
    setTimeout(() => node.remove(), level === "error" ? 9000 : 4000);
  }

  /** For tests and diagnostics: the path in the editor. */
  get currentPath(): string | null {
    return this.s.activePath;
  }

  // ---- sending --------------------------------------------------------------------------------

  /** The template and data set the preview shows, with the unsaved edits it shows them with. */
  private sendContext(): SendContext | null {
    const t = this.templateView(previewTemplate(this.s));
    if (!t) return null;
    const dataSet = dataSetFor(t, this.s.dataSet);
    const buffers = this.buffers.dirty().map((b) => ({ path: b.path, text: b.text }));
    return { template: t.name, dataSet, dataSets: t.dataSets, buffers };
  }

}

function sourceExtensions() {
  return [
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.lineWrapping,
    htmlLanguage(),
    syntaxColors,
    editorTheme,
    EditorView.theme({
      "&": { height: "100%", fontSize: "12px", backgroundColor: "var(--editor-bg)", color: "var(--text)" },
      ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.55" },
      ".cm-gutters": { display: "none" },
    }),
  ];
}
