// The app window: template list | editor | preview. It wires the panels to the state store, talks to
// the shell only through `Backend`, and keeps the editors, the preview and the folder on disk in
// step. Panels render from the store when the fields they show change; this module changes the
// state and never calls a render by hand.

import type { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

import type { Backend } from "./backend";
import { BufferStore, type FileKind, fileKind } from "./buffers";
import type { SizesState } from "./client-support-view";
import { type ConflictChoice, ConflictBanner, compareVersions } from "./conflicts";
import { type Debounced, debounceAsync } from "./debounce";
import { diagnosticRange, errorText } from "./diagnostics";
import { choose, el, quickPick, setModalRoot } from "./dialogs";
import { createState, diagnosticsSpec, formatDocument } from "./editor";
import { EditorTabs } from "./editor-tabs";
import { Mailroom } from "./mailroom";
import { PreviewPanel } from "./preview-panel";
import { previewKey } from "./preview-policy";
import { PreviewTimer } from "./preview-timing";
import { ProblemsPanel } from "./problems-panel";
import { bindResizers } from "./resizers";
import type { SendContext } from "./send";
import { Settings } from "./settings";
import { bindShortcuts } from "./shortcuts";
import { Sidebar } from "./sidebar";
import { markerAtCursor } from "./source-map";
import { Store } from "./store";
import { TemplateActions } from "./template-actions";
import { ThemeToggle } from "./theme";
import type { Diagnostic, PreviewResult, ProjectChanged, ProjectView, RecentProject } from "./types";
import { restoredNote, UnsavedEdits } from "./unsaved";
import {
  type CompareMode,
  dataSetFor,
  initialState,
  otherDataSet,
  type PreviewTab,
  previewTemplate,
  problems,
  saveState,
  shownResult,
  templateView,
  type WorkspaceState,
} from "./workspace-state";

/** Measuring every data set renders each of them, so it waits for a longer pause. */
const SIZES_DEBOUNCE_MS = 400;

const isMac = navigator.platform.toUpperCase().includes("MAC");
const MOD = isMac ? "⌘" : "Ctrl+";

export class App {
  /** What the panels render from. */
  private readonly store: Store<WorkspaceState>;
  /** The settings kept across launches. */
  private readonly settings = new Settings();
  /** The open files and their unsaved edits; `dirty` and `conflicts` of the state follow it. */
  private buffers = new BufferStore();
  private states = new Map<string, EditorState>();
  private view: EditorView | null = null;
  private usage = new Map<string, string[]>();
  private schedulePreview: Debounced;
  /** Times each edit to its painted preview, which sets how long the preview waits for typing. */
  private readonly timing = new PreviewTimer({
    shownBy: () => this.preview.main.lastShownBy,
    record: (entry) => {
      window.letterpressTimings?.push(entry);
      this.preview.element.dataset.lastWorkMs = entry.workMs.toFixed(1);
    },
  });
  /** What the preview shown was rendered from; the same again needs no render. */
  private renderedKey: string | null = null;
  /** The preview pane, its frames and its toolbar. */
  private preview!: PreviewPanel;
  private readyReported = false;
  private recent: RecentProject[] = [];
  /** The unsaved edits kept in the project's journal, safe from a crash. */
  private readonly unsaved: UnsavedEdits;
  /** Sending, the inbox, the history and export. */
  private mail!: Mailroom;
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
    toasts: HTMLElement;
    welcome: HTMLElement;
  };

  constructor(
    private readonly mount: HTMLElement,
    private readonly backend: Backend,
  ) {
    this.store = new Store(initialState((key) => this.settings.get(key)));
    this.schedulePreview = debounceAsync(
      () => this.renderPreview(),
      () => this.timing.delay(),
    );
    this.scheduleSizes = debounceAsync(() => this.measureSizes(), SIZES_DEBOUNCE_MS);
    this.unsaved = new UnsavedEdits(backend, {
      buffers: () => this.buffers,
      forget: (path) => this.states.delete(path),
    });
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
    this.settings.restoreWidths(this.mount);
    this.build();
    this.subscribe();
    bindShortcuts(isMac, {
      save: () => void this.saveAll(),
      quickOpen: () => void this.quickOpen(),
      switchDataSet: () => void this.actions.switchDataSet(),
      openOther: () => void this.openOther(),
    });
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

  // ---- layout ---------------------------------------------------------------------------------

  private build(): void {
    setModalRoot(this.mount);
    const projectButton = el(
      "button",
      { class: "project-button", "data-testid": "project-button", title: `Open another project (${MOD}O)` },
      "No project",
    );
    const saveState = el("span", { class: "save-state", "data-testid": "save-state" });
    const saveButton = el(
      "button",
      { class: "primary small", "data-testid": "save", title: `Save all changes (${MOD}S)` },
      "Save",
    );
    const themeButton = new ThemeToggle(this.store).element;
    const header = el(
      "header",
      { class: "topbar" },
      el(
        "div",
        { class: "brand" },
        el("span", { class: "brand-mark" }, "L"),
        el("span", { class: "brand-name" }, "Letterpress"),
      ),
      projectButton,
      el("div", { class: "spacer" }),
      el(
        "button",
        { class: "ghost small", "data-testid": "quick-open", title: `Go to template (${MOD}P)` },
        el("span", {}, "Go to template"),
        el("kbd", {}, `${MOD}P`),
      ),
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
    const banner = new ConflictBanner(this.store, {
      resolve: (path, choice) => void this.resolveConflict(path, choice),
    }).element;
    const editorHost = el("div", { class: "editor-host", "data-testid": "editor" });
    // The key's own time, for the latency figures: the edit is reported after the key's handling.
    editorHost.addEventListener("keydown", (event) => this.timing.keyDown(event.timeStamp), { capture: true });
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

    this.preview = new PreviewPanel(
      this.store,
      {
        chooseTab: (tab) => this.setTab(tab),
        chooseCompare: (mode) => this.setCompare(mode),
        chooseCompareDataSet: (name) => {
          this.renderedKey = null;
          this.store.update({ compareDataSet: name });
          void this.schedulePreview.flush();
        },
        chooseDataSet: (name) => void this.selectDataSet(name),
        dataSetMenu: () => void this.actions.dataSetMenu(),
        cursorMarker: (result) => this.cursorMarker(result),
        mainLoaded: () => this.onFrameLoaded(),
        sizesWanted: () => this.scheduleSizes(),
        jump: (place) => void this.goTo(place.file, place.start),
        copy: (url) => void this.copyText(url),
      },
      `${MOD}Shift+D`,
    );
    const previewPane = this.preview.element;

    const welcome = el("div", { class: "welcome", hidden: true, "data-testid": "welcome" });
    const workspace = el(
      "main",
      { class: "workspace" },
      sidebar,
      el("div", {
        class: "resizer",
        "data-resize": "sidebar",
        role: "separator",
        "aria-label": "Resize the template list",
      }),
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
      toasts,
      welcome,
    };

    projectButton.addEventListener("click", () => void this.projectMenu());
    saveButton.addEventListener("click", () => void this.saveAll());
    header.querySelector("[data-testid=quick-open]")!.addEventListener("click", () => void this.quickOpen());
    bindResizers(this.mount, workspace, this.settings);
  }

  /** Each panel renders from the state when what it shows changes; nothing renders by hand. */
  private subscribe(): void {
    const on = (keys: (keyof WorkspaceState)[], render: () => void) => this.store.subscribe(keys, render);
    this.settings.follow(this.store);
    on(["project", "dirty", "conflicts"], () => this.renderSaveState());
    on(["dirty", "conflicts"], () => this.unsaved.persist());
    on(["preview", "project"], () => this.applyDiagnosticsToEditor());
  }

  /** Takes the unsaved and conflicting files from the buffers into the state. */
  private syncBuffers(): void {
    this.store.update({
      dirty: this.buffers.dirty().map((b) => b.path),
      conflicts: this.buffers.conflicts().map((b) => ({ path: b.path, kind: b.conflict!.kind })),
    });
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
                  const b = el(
                    "button",
                    { class: "recent-item", title: r.path },
                    el("strong", {}, r.name),
                    el("span", {}, r.path),
                  );
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
      ...this.recent
        .filter((r) => r.exists && r.path !== this.s.project?.root)
        .map((r) => ({ id: r.path, label: r.name, detail: r.path })),
    ];
    const choice = await quickPick("project-picker", "Open a project", items);
    if (choice === "::open") await this.openOther();
    else if (choice) await this.openPath(choice);
  }

  /** Asks before dropping unsaved edits when another project is opened. */
  private async confirmLeave(): Promise<boolean> {
    const dirty = this.buffers.dirty();
    if (!dirty.length) return true;
    const answer = await choose(
      "leave-dialog",
      "Unsaved changes",
      `${dirty.length} file${dirty.length > 1 ? "s have" : " has"} unsaved changes.`,
      [
        { id: "cancel", label: "Cancel" },
        { id: "discard", label: "Discard", kind: "danger" },
        { id: "save", label: "Save all", kind: "primary" },
      ],
    );
    if (answer === "save") return this.saveAll();
    if (answer === "discard") await this.unsaved.discard();
    return answer === "discard";
  }

  private async showProject(project: ProjectView): Promise<void> {
    // The journal of the project before is done with; the new one is read before it is written.
    this.unsaved.close();
    this.buffers = new BufferStore();
    this.states.clear();
    this.usage.clear();
    this.renderedKey = null;
    this.store.update({
      project,
      preview: null,
      lastGood: null,
      lastClients: null,
      template: null,
      activePath: null,
      dirty: [],
      conflicts: [],
    });
    this.els.welcome.hidden = true;
    this.els.workspace.hidden = false;
    this.mount.dataset.project = "open";
    this.mail.setProjectOpen(true);
    this.els.projectButton.textContent = project.name;
    this.els.projectButton.title = `${project.root} — open another project (${MOD}O)`;
    document.title = `${project.name} — Letterpress`;
    this.unsaved.open();
    const first = project.templates[0];
    if (first) await this.selectTemplate(first.name);
    else this.showNoTemplates();
    await this.restoreUnsaved();
    this.unsaved.persist();
    await this.reportReady();
  }

  /** Offers back the unsaved edits of an earlier session that ended without saving them. */
  private async restoreUnsaved(): Promise<void> {
    const restored = await this.unsaved.restore();
    if (!restored) return;
    this.syncBuffers();
    if (this.s.activePath) await this.openFile(this.s.activePath);
    this.schedulePreview();
    const note = restoredNote(restored);
    if (note) this.toast(note.text, note.level);
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
    this.els.editorEmpty.replaceChildren(
      el("h2", {}, "This project has no templates yet"),
      el("p", {}, "Start from one of the bundled examples or from a blank page."),
      create,
    );
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

  private async selectDataSet(name: string): Promise<void> {
    const t = this.templateView(previewTemplate(this.s));
    if (!t?.dataSets.includes(name)) return;
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
      state = createState(path, buffer.kind, buffer.text, {
        onChange: (p, text) => this.onEdit(p, text),
        onSelection: () => this.followCursor(),
      });
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
    this.editorDiagnosticsKey = null;
    this.applyDiagnosticsToEditor();
    if (at) this.reveal(at.line, at.column);
    else this.view.focus();
    if (fileKind(path) === "mjml" && !this.templateView(owner)) await this.choosePreviewForPartial(path);
    await this.schedulePreview.flush();
  }

  private onEdit(path: string, text: string): void {
    const wasDirty = this.buffers.isDirty(path);
    this.buffers.edit(path, text);
    this.timing.edited();
    this.unsaved.edited();
    if (wasDirty !== this.buffers.isDirty(path)) this.syncBuffers();
    this.schedulePreview();
  }

  private format(): void {
    if (!this.view || !this.s.activePath) return;
    const kind: FileKind = fileKind(this.s.activePath);
    if (!formatDocument(this.view, kind))
      this.toast(kind === "mjml" || kind === "data" ? "Already tidy." : "This kind of file has no formatter.", "info");
  }

  private reveal(line: number, column: number): void {
    if (!this.view) return;
    const range = diagnosticRange(this.view.state.doc, {
      start: { line, column },
      end: { line, column },
    } as Diagnostic);
    this.view.dispatch({
      selection: { anchor: range.from },
      effects: EditorView.scrollIntoView(range.from, { y: "center" }),
    });
    this.view.focus();
  }

  // ---- saving and conflicts -------------------------------------------------------------------

  private renderSaveState(): void {
    const { text, level } = saveState(this.s.dirty.length, this.s.conflicts.length);
    this.els.saveState.textContent = text;
    this.els.saveState.dataset.level = level;
    this.els.saveButton.disabled = this.s.dirty.length === 0;
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
    if (!ok && this.buffers.conflicts().length)
      this.toast("Some files changed on disk. Choose what to keep before saving them.", "warning");
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
      this.view.dispatch({
        changes: { from: 0, to: current.length, insert: text },
        selection: { anchor: head },
        annotations: [],
      });
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
      if (change?.hash && change.hash === buffer.diskHash) continue;
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
    const answer = await choose(
      "close-dialog",
      "Save changes before closing?",
      `${dirty.length} file${dirty.length > 1 ? "s have" : " has"} unsaved changes: ${dirty.map((b) => b.path).join(", ")}.`,
      [
        { id: "cancel", label: "Cancel" },
        { id: "discard", label: "Close without saving", kind: "danger" },
        { id: "save", label: "Save and close", kind: "primary" },
      ],
    );
    if (answer === "discard") await this.unsaved.discard();
    if (answer === "discard" || (answer === "save" && (await this.saveAll()))) await this.backend.closeWindow();
  }

  private async quickOpen(): Promise<void> {
    const { project, template } = this.s;
    if (!project) return;
    const items = [
      ...project.templates.map((t) => ({ id: `t:${t.name}`, label: t.name, detail: "template" })),
      ...project.partials.map((p) => ({ id: `p:${p}`, label: p, detail: "partial" })),
    ];
    const choice = await quickPick(
      "quick-open",
      "Go to a template or partial",
      items,
      template ? `t:${template}` : undefined,
    );
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
      this.store.update({
        previewMessage: this.s.activePath
          ? "No template includes this partial, so there is nothing to preview."
          : "Nothing to preview yet.",
      });
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
    // The client-support table travels only while the Clients tab shows it.
    const clients = this.s.tab === "clients";
    const lacksClients = clients && this.s.preview !== null && !this.s.preview.clients;
    if (key === this.renderedKey && (this.s.preview || this.s.previewError) && !lacksClients) {
      this.timing.unchanged();
      this.followCursor();
      return;
    }
    const edit = this.timing.renderStarted();
    try {
      const result = await this.backend.renderPreview({ template, dataSet, buffers, clients });
      this.timing.answered();
      this.renderedKey = key;
      const failed = result.diagnostics.some((d) => d.severity === "error") && !result.html;
      const lastGood = failed ? this.s.lastGood : result;
      if (result.html || lastGood) this.timing.showing(edit, template, result.compileMs ?? 0);
      if (result.clients) this.store.update({ lastClients: { template: result.template, clients: result.clients } });
      this.store.update({ preview: result, lastGood, previewError: null, previewMessage: null });
      this.timing.updated();
      // The view beside shows another data set: rendered after the main one, which comes first.
      if (other !== null) {
        const beside = await this.backend.renderPreview({ template, dataSet: other, buffers }).catch(() => null);
        if (beside?.html) this.store.update({ compareResult: beside });
      }
    } catch (error) {
      const { code, message } = errorText(error);
      this.renderedKey = key;
      this.store.update({
        previewError: code === "unknown-template" ? "This template no longer exists." : message,
        preview: null,
        previewMessage: null,
      });
    }
  }

  private setCompare(mode: CompareMode): void {
    this.renderedKey = null;
    this.store.update({ compareMode: mode, compareResult: null });
    void this.schedulePreview.flush();
  }

  /** The marker of the element the editor's cursor is in, among the places of `result`. */
  private cursorMarker(result: PreviewResult | null): number | null {
    const path = this.s.activePath;
    if (!this.view || !path || fileKind(path) !== "mjml" || !result?.places?.length) return null;
    const head = this.view.state.selection.main.head;
    const line = this.view.state.doc.lineAt(head);
    return markerAtCursor(result.places, path, line.number, head - line.from + 1);
  }

  /** Outlines, in the preview, the element the editor's cursor is in, and shows it when it moved
   * to another element. A new render never moves the view. */
  private followCursor(): void {
    const marker = this.cursorMarker(shownResult(this.s));
    if (marker !== this.preview.outlined) this.preview.outline(marker, true);
  }

  private onFrameLoaded(): void {
    this.preview.element.dataset.rendered = String(Number(this.preview.element.dataset.rendered ?? 0) + 1);
    this.timing.shown();
  }

  private setTab(tab: PreviewTab): void {
    this.store.update({ tab });
    if (tab === "clients") {
      void this.scheduleSizes.flush();
      // The table comes with a render made while this tab shows.
      void this.schedulePreview.flush();
    }
  }

  // ---- client support and sizes ---------------------------------------------------------------

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

  // ---- problems -------------------------------------------------------------------------------

  /** Opens `file` with the cursor at `start`, or at its top for a file-level place. */
  private async goTo(file: string, start: { line: number; column: number }): Promise<void> {
    if (!file) return;
    await this.openFile(file, start.line > 0 ? start : undefined);
  }

  /** What the editor's marks show, so that an unchanged list is not dispatched again. */
  private editorDiagnosticsKey: string | null = null;

  /** Shows the diagnostics of the active file inline in the editor. */
  private applyDiagnosticsToEditor(): void {
    const path = this.s.activePath;
    if (!this.view || !path) return;
    const mine = problems(this.s).filter((d) => d.file === path);
    // Most keystrokes leave the marks as they were; dispatching them again would redraw the editor.
    const key = `${path}\u0000${JSON.stringify(mine)}`;
    if (key === this.editorDiagnosticsKey) return;
    this.editorDiagnosticsKey = key;
    this.view.dispatch(diagnosticsSpec(this.view.state, mine));
  }

  // ---- toasts ---------------------------------------------------------------------------------

  toast(message: string, level: "info" | "success" | "warning" | "error" = "info"): void {
    const node = el(
      "div",
      { class: `toast ${level}`, role: level === "error" ? "alert" : "status", "data-testid": "toast" },
      message,
    );
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
