// The preview pane: the tabs (preview, HTML, text, subject, clients), the data set picker, the
// widths, colour modes and side-by-side views of the rendered email, its notice, header and status
// line. It renders from the store; choices that need a new render go to the app through the hooks.
// The frames themselves are `preview-frames.ts`.

import { html as htmlLanguage } from "@codemirror/lang-html";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

import { SupportView } from "./client-support-view";
import { countsText, problemsLevel, severityCounts } from "./diagnostics";
import { el } from "./dialogs";
import { editorTheme, syntaxColors } from "./editor";
import { replaceIfNew, setData, setHidden, setStyle, setText } from "./dom-quiet";
import { prettyHtml } from "./format";
import { clientBackground, type ColorMode, frameDocument } from "./preview-doc";
import { type PaneHooks, PreviewPane } from "./preview-frames";
import { formatBytes, GMAIL_CLIP_BYTES, sizeLevel } from "./size";
import type { Store } from "./store";
import type { Place, PreviewResult } from "./types";
import {
  type CompareMode,
  fitFrames,
  partialNote,
  type PreviewTab,
  previewTemplate,
  shownResult,
  templateView,
  type WidthMode,
  WIDTHS,
  type WorkspaceState,
} from "./workspace-state";

/** The choices of the preview's segmented controls, by group: value, label and title. */
const SEGMENTS: Record<"tab" | "width" | "color" | "compare", [string, string, string][]> = {
  tab: [
    ["preview", "Preview", "The rendered email"],
    ["html", "HTML", "The final HTML, laid out for reading"],
    ["text", "Text", "The plain-text part"],
    ["subject", "Subject", "The subject line"],
    ["clients", "Clients", "Which popular mail clients support what the template uses, and the size of each data set"],
  ],
  width: [
    ["desktop", "Desktop", "800 px wide"],
    ["mobile", "Mobile", "375 px wide"],
    ["custom", "Custom", "A width of your choice"],
  ],
  color: [
    ["light", "Light", "Light mode"],
    ["dark", "Dark", "Dark mode, as clients that honour prefers-color-scheme show it"],
    ["inverted", "Inverted", "Forced dark mode, as the Gmail and Outlook apps invert colours"],
  ],
  compare: [
    ["off", "One view", "One view of the email"],
    ["widths", "Widths", "Desktop and mobile side by side, scrolling together"],
    ["data", "Data sets", "This data set next to another, scrolling together"],
  ],
};

export interface PreviewPanelHooks {
  chooseTab(tab: PreviewTab): void;
  chooseCompare(mode: CompareMode): void;
  chooseCompareDataSet(name: string): void;
  chooseDataSet(name: string): void;
  dataSetMenu(): void;
  /** The marker of the element the editor's cursor is in, among the places of `result`. */
  cursorMarker(result: PreviewResult | null): number | null;
  /** The main frame loaded a new document. */
  mainLoaded(): void;
  /** The Clients tab shows a new preview: measure the data sets again. */
  sizesWanted(): void;
  /** Puts the editor's cursor at a place in the MJML. */
  jump(place: Place): void;
  copy(url: string): void;
}

export class PreviewPanel {
  readonly element: HTMLElement;
  /** The main view of the email and the one beside it. */
  readonly main: PreviewPane;
  readonly second: PreviewPane;
  /** The marker outlined in the preview, from the cursor in the editor. */
  outlined: number | null = null;
  /** Client support and the size of every data set, in the Clients tab. */
  private readonly support: SupportView;
  private htmlView: EditorView | null = null;
  private readonly dataSetSelect: HTMLSelectElement;
  private readonly previewHeader = el("div", { class: "inbox-header", "data-testid": "preview-header" });
  private readonly frameStage: HTMLElement;
  private readonly compareSelect = el("select", {
    class: "data-set-select",
    "data-testid": "compare-data-set",
    "aria-label": "Data set shown beside",
  });
  private readonly previewNotice = el("div", {
    class: "preview-notice",
    hidden: true,
    "data-testid": "preview-notice",
  });
  private readonly scaleLabel = el("span", { class: "scale-label", "data-testid": "frame-scale" });
  private readonly previewOptions: HTMLElement;
  private readonly previewEmpty = el("div", {
    class: "empty-state preview-empty",
    hidden: true,
    "data-testid": "preview-empty",
  });
  private readonly sourceHost = el("div", { class: "source-view", hidden: true, "data-testid": "html-source" });
  private readonly textView = el("pre", { class: "text-view", hidden: true, "data-testid": "text-part" });
  private readonly subjectView = el("div", { class: "subject-view", hidden: true, "data-testid": "subject-view" });
  private readonly status = el("footer", { class: "preview-status", "data-testid": "preview-status" });
  private readonly customWidthInput: HTMLInputElement;

  constructor(
    private readonly store: Store<WorkspaceState>,
    private readonly hooks: PreviewPanelHooks,
    dataSetShortcut: string,
  ) {
    const s = store.state;
    this.dataSetSelect = el("select", {
      class: "data-set-select",
      "data-testid": "data-set-select",
      title: `Data set (${dataSetShortcut})`,
      "aria-label": "Data set",
    });
    const dataSetMenu = el(
      "button",
      {
        class: "icon-button",
        "data-testid": "data-set-menu",
        title: "Data set actions",
        "aria-label": "Data set actions",
      },
      "⋯",
    );
    const segmented = (name: keyof typeof SEGMENTS, current: string) =>
      el(
        "div",
        { class: "segmented", role: "group", "data-group": name },
        ...SEGMENTS[name].map(([value, label, title]) =>
          el(
            "button",
            {
              type: "button",
              "data-value": value,
              "data-testid": `${name}-${value}`,
              class: value === current ? "active" : "",
              title,
            },
            label,
          ),
        ),
      );
    this.customWidthInput = el("input", {
      type: "number",
      min: "240",
      max: "1600",
      step: "10",
      value: String(s.customWidth),
      class: "width-input",
      "data-testid": "custom-width",
      "aria-label": "Custom width in pixels",
    });
    const previewTabs = segmented("tab", s.tab);
    const widths = segmented("width", s.width);
    const colors = segmented("color", s.color);
    // The frames are sandboxed with same-origin access for the app and no scripts for the email;
    // see preview-frames.ts. They always lay the email out at the chosen width; a narrower pane
    // scales it down.
    const paneHooks: PaneHooks = {
      loaded: (pane) => this.onPaneLoaded(pane),
      clicked: (pane, marker) => this.onPreviewClick(pane, marker),
      scrolled: (pane) => this.onPaneScrolled(pane),
    };
    this.main = new PreviewPane("preview-frame", paneHooks);
    this.second = new PreviewPane("compare-frame", paneHooks);
    this.second.element.hidden = true;
    this.frameStage = el("div", { class: "frame-stage" }, this.main.element, this.second.element);
    const compare = segmented("compare", s.compareMode);
    this.previewOptions = el(
      "div",
      { class: "pane-bar preview-options" },
      widths,
      this.customWidthInput,
      this.scaleLabel,
      el("div", { class: "spacer" }),
      compare,
      this.compareSelect,
      colors,
      el("div", { class: "send-slot", "data-slot": "send" }),
    );
    this.support = new SupportView({ jump: (place) => this.hooks.jump(place), copy: (url) => this.hooks.copy(url) });
    const previewBody = el(
      "div",
      { class: "preview-body" },
      this.previewNotice,
      this.previewEmpty,
      this.frameStage,
      this.sourceHost,
      this.textView,
      this.subjectView,
      this.support.element,
    );
    this.element = el(
      "section",
      { class: "preview-pane", "aria-label": "Preview", "data-testid": "preview-pane" },
      el(
        "div",
        { class: "pane-bar preview-bar" },
        previewTabs,
        el("div", { class: "spacer" }),
        el(
          "div",
          { class: "data-set-picker" },
          el("span", { class: "label" }, "Data"),
          this.dataSetSelect,
          dataSetMenu,
        ),
      ),
      this.previewOptions,
      this.previewHeader,
      previewBody,
      this.status,
    );

    this.dataSetSelect.addEventListener("change", () => this.hooks.chooseDataSet(this.dataSetSelect.value));
    dataSetMenu.addEventListener("click", () => this.hooks.dataSetMenu());
    previewTabs.addEventListener("click", (e) => this.onSegment(e, (v) => this.hooks.chooseTab(v as PreviewTab)));
    widths.addEventListener("click", (e) => this.onSegment(e, (v) => this.store.update({ width: v as WidthMode })));
    colors.addEventListener("click", (e) => this.onSegment(e, (v) => this.store.update({ color: v as ColorMode })));
    this.customWidthInput.addEventListener("change", () => {
      const value = Math.min(Math.max(Number(this.customWidthInput.value) || 480, 240), 1600);
      this.customWidthInput.value = String(value);
      this.store.update({ customWidth: value, width: "custom" });
    });
    compare.addEventListener("click", (e) => this.onSegment(e, (v) => this.hooks.chooseCompare(v as CompareMode)));
    this.compareSelect.addEventListener("change", () => this.hooks.chooseCompareDataSet(this.compareSelect.value));
    new ResizeObserver(() => this.fitFrame()).observe(this.frameStage);

    const on = (keys: (keyof WorkspaceState)[], render: () => void) => store.subscribe(keys, render);
    on(["project", "template", "dataSet", "activePath", "previewFor"], () => this.renderDataSets());
    on(["preview", "lastGood", "previewError", "previewMessage"], () => this.showPreview());
    on(["activePath", "previewFor"], () => this.renderNotice());
    on(["tab"], () => this.showTab());
    on(["color"], () => this.reloadFrames());
    on(["tab", "width", "customWidth", "color", "compareMode"], () => this.applyPreviewLayout());
    on(["compareMode"], () => this.showCompareMode());
    on(["compareResult"], () => this.showCompare());
    on(["compareMode", "compareDataSet", "project", "template", "activePath", "previewFor"], () =>
      this.renderCompareSelect(),
    );
    on(["sizes"], () => this.renderSupport());
    this.applyPreviewLayout();
  }

  private get s(): Readonly<WorkspaceState> {
    return this.store.state;
  }

  /** Outlines the element of `marker` in the views, and scrolls it into view when `reveal`. */
  outline(marker: number | null, reveal: boolean): void {
    this.outlined = marker;
    setData(this.element, "outlined", marker === null ? "" : String(marker));
    this.main.outline(marker);
    if (this.s.compareMode === "widths") this.second.outline(marker);
    if (reveal) this.main.revealOutline();
  }

  private onPaneLoaded(pane: PreviewPane): void {
    pane.outline(this.outlined);
    if (pane === this.main) this.hooks.mainLoaded();
    else this.element.dataset.compareRendered = String(Number(this.element.dataset.compareRendered ?? 0) + 1);
    // The view beside follows the main one.
    if (pane === this.second) pane.ratio = this.main.ratio;
  }

  /** A click in the preview puts the cursor on the MJML element that wrote what was clicked. */
  private onPreviewClick(pane: PreviewPane, marker: number | null): void {
    const result = pane === this.second && this.s.compareMode === "data" ? this.s.compareResult : shownResult(this.s);
    const place = marker === null ? null : result?.places?.[marker];
    if (!place) return;
    this.element.dataset.clickedMarker = String(marker);
    this.hooks.jump(place);
  }

  private renderDataSets(): void {
    const t = templateView(this.s, previewTemplate(this.s));
    const select = this.dataSetSelect;
    select.replaceChildren(
      ...(t?.dataSets ?? []).map((d) => el("option", { value: d, selected: d === this.s.dataSet }, d)),
    );
    if (!t?.dataSets.length) select.append(el("option", { value: "" }, "no data"));
    select.disabled = !t?.dataSets.length;
    (select.parentElement as HTMLElement).hidden = !t;
  }

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
    const meta = `${template ?? ""}${result?.dataSet ? ` · ${result.dataSet}` : ""}`;
    replaceIfNew(this.previewHeader, `${subject}\u0000${meta}`, () => [
      el(
        "div",
        { class: "inbox-subject", "data-testid": "preview-subject" },
        subject || el("span", { class: "muted" }, "(no subject)"),
      ),
      el("div", { class: "inbox-meta" }, meta),
    ]);

    if (shown) {
      // Marker numbers are those of this result: work the outlined one out again.
      this.outline(this.hooks.cursorMarker(shown), false);
      this.main.load(this.frameHtml(shown));
      if (this.s.compareMode === "widths") this.showCompare();
      this.frameStage.classList.toggle("stale", shown !== result);
      if (this.s.tab === "html") this.renderSource(shown.html);
      setText(this.textView, shown.text);
      this.renderSubject(subject);
    }
    this.renderStatus(shown);
    if (this.s.tab === "clients") {
      this.renderSupport();
      this.hooks.sizesWanted();
    }
    if (!shown) this.previewEmpty.replaceChildren(el("p", {}, "The preview appears once the template compiles."));
    this.applyPreviewLayout(!shown);
  }

  /** The note above the preview: errors that keep the last good version, or the partial shown. */
  private renderNotice(): void {
    const { preview: result, previewError, previewMessage } = this.s;
    const notice = this.previewNotice;
    const shown = shownResult(this.s);
    // A message or an error stands in place of the preview, with nothing above it.
    const previewing = previewError === null && previewMessage === null;
    const note = previewing ? partialNote(this.s) : null;
    const failed = previewing && result !== null && !result.html;
    setHidden(notice, !failed && !note);
    notice.classList.toggle("info", !failed && note !== null);
    if (failed) {
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      const rest = shown
        ? " Showing the last version that compiled. Fix the problems listed under the editor."
        : " Fix the problems listed under the editor to see it.";
      replaceIfNew(notice, `${errors}\u0000${rest}`, () => [
        el("strong", {}, `The template has ${errors} error${errors === 1 ? "" : "s"}.`),
        el("span", {}, rest),
      ]);
    } else if (note) {
      replaceIfNew(notice, `note\u0000${note}`, () => [el("span", {}, note)]);
    }
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
    const select = this.compareSelect;
    const t = templateView(this.s, previewTemplate(this.s));
    select.hidden = this.s.compareMode !== "data";
    select.replaceChildren(
      ...(t?.dataSets ?? []).map((d) => el("option", { value: d, selected: d === this.s.compareDataSet }, d)),
    );
  }

  /** A new compare mode: desktop and mobile show the same email at once. */
  private showCompareMode(): void {
    if (this.s.compareMode === "widths") this.showCompare();
  }

  /** Both views follow the same scroll, in proportion to their heights. */
  private onPaneScrolled(pane: PreviewPane): void {
    if (this.s.compareMode === "off") return;
    const other = pane === this.main ? this.second : this.main;
    other.ratio = pane.ratio;
  }

  /** Shows a calm message where the preview would be, when there is nothing to render. */
  private showPreviewMessage(message: string): void {
    this.previewNotice.hidden = true;
    this.previewEmpty.replaceChildren(el("p", {}, message));
    this.main.clear();
    this.second.clear();
    replaceIfNew(this.previewHeader, "", () => []);
    this.previewHeader.hidden = true;
    replaceIfNew(this.status, "", () => []);
    this.applyPreviewLayout(true);
  }

  private renderStatus(shown: PreviewResult | null): void {
    const result = this.s.preview;
    if (!result || !shown) {
      replaceIfNew(this.status, "", () => []);
      return;
    }
    const sizeLevelNow = sizeLevel(shown.htmlBytes);
    const counts = severityCounts(result.diagnostics);
    const level = problemsLevel(result.diagnostics);
    const problems =
      counts.errors || counts.warnings ? countsText(counts) : counts.infos ? `No problems · ${countsText(counts)}` : "";
    // The bar is rebuilt only when its parts change; the size and the timing, which change with
    // every keystroke, are changed in place.
    replaceIfNew(this.status, [sizeLevelNow, problems, level].join("\u0000"), () => [
      el("span", {
        class: `size size-${sizeLevelNow}`,
        "data-testid": "message-size",
        title: `Gmail clips messages whose HTML is larger than ${formatBytes(GMAIL_CLIP_BYTES)}`,
      }),
      sizeLevelNow === "clipped"
        ? el("span", { class: "badge danger", "data-testid": "gmail-clip" }, "Gmail will clip this message")
        : sizeLevelNow === "near"
          ? el("span", { class: "badge warning", "data-testid": "gmail-clip" }, "Close to Gmail’s 102 KB limit")
          : "",
      el("span", { class: "spacer" }),
      counts.errors || counts.warnings
        ? el("span", { class: `status-problems ${level}`, "data-testid": "status-problems" }, problems)
        : el("span", { class: "status-problems ok", "data-testid": "status-problems" }, problems || "No problems"),
      el("span", { class: "timing", "data-testid": "compile-ms", title: "Time to compile and fill the template" }),
    ]);
    const size = this.status.querySelector<HTMLElement>(".size")!;
    setData(size, "bytes", String(shown.htmlBytes));
    setText(size, `HTML ${formatBytes(shown.htmlBytes)}${shown !== result ? " (last version that compiled)" : ""}`);
    setText(this.status.querySelector(".timing")!, `${result.compileMs.toFixed(1)} ms`);
  }

  private renderSource(html: string): void {
    const doc = prettyHtml(html);
    if (!this.htmlView) {
      this.htmlView = new EditorView({
        parent: this.sourceHost,
        state: EditorState.create({ doc, extensions: sourceExtensions() }),
      });
    } else if (this.htmlView.state.doc.toString() !== doc) {
      this.htmlView.dispatch({ changes: { from: 0, to: this.htmlView.state.doc.length, insert: doc } });
    }
  }

  private renderSubject(subject: string): void {
    const chars = [...subject].length;
    replaceIfNew(this.subjectView, subject, () => [
      el("div", { class: "subject-line", "data-testid": "subject-text" }, subject || "(no subject)"),
      el(
        "p",
        { class: "subject-meta" },
        `${chars} character${chars === 1 ? "" : "s"}${chars > 60 ? " · phones usually cut subjects after about 40 to 60 characters" : ""}`,
      ),
    ]);
  }

  /** Fills the view of a newly chosen tab: the HTML source, or client support. */
  private showTab(): void {
    const shown = shownResult(this.s);
    if (this.s.tab === "html" && shown) this.renderSource(shown.html);
    if (this.s.tab === "clients") this.renderSupport();
  }

  private renderSupport(): void {
    const template = previewTemplate(this.s);
    const current = this.s.preview?.html ? this.s.preview : null;
    // While a render with the table is on its way, the last table of this template, marked stale.
    const kept = this.s.lastClients?.template === template ? this.s.lastClients.clients : null;
    const support = current?.clients ?? this.s.lastGood?.clients ?? kept;
    const sizes = this.s.sizes && this.s.sizes.template === template ? this.s.sizes.state : null;
    this.support.render(support, sizes, !current?.clients && support !== null);
  }

  /** A new colour mode: the email is shown again in it. */
  private reloadFrames(): void {
    const shown = shownResult(this.s);
    if (shown) this.main.load(this.frameHtml(shown));
    if (this.s.compareMode !== "off") this.showCompare();
  }

  /** Scales the frames down when the pane is narrower than the chosen width. */
  private fitFrame(): void {
    const stage = this.frameStage;
    if (stage.hidden || !stage.clientWidth) return;
    const fits = fitFrames(this.s, stage.clientWidth, stage.clientHeight);
    const panes = [this.main, this.second];
    fits.forEach((fit, i) => {
      const pane = panes[i];
      setData(pane.element, "width", fit.mode);
      setStyle(pane.wrap, "width", `${fit.width * fit.scale + fit.border}px`);
      setStyle(pane.wrap, "height", `${fit.height + fit.border}px`);
      pane.layout(fit.width, fit.scale, fit.height);
      if (i === 0) setData(stage, "scale", fit.scale.toFixed(2));
    });
    setText(this.scaleLabel, fits.length > 1 ? "" : fits[0].label);
  }

  private applyPreviewLayout(empty = false): void {
    setHidden(this.previewEmpty, !empty);
    if (empty) {
      for (const view of [this.frameStage, this.sourceHost, this.textView, this.subjectView, this.support.element])
        setHidden(view, true);
      return;
    }
    const { color, width, compareMode, tab } = this.s;
    setHidden(this.previewHeader, false);
    setStyle(this.frameStage, "--client-bg", clientBackground(color));
    setData(this.frameStage, "color", color);
    setData(this.frameStage, "width", width);
    setData(this.frameStage, "compare", compareMode);
    setHidden(this.second.element, compareMode === "off");
    for (const pane of [this.main, this.second]) setHidden(pane.caption, compareMode === "off");
    setHidden(this.compareSelect, compareMode !== "data");
    setHidden(this.customWidthInput, width !== "custom");
    setHidden(this.frameStage, tab !== "preview");
    // Widths and colour modes only mean something for the rendered email.
    setHidden(this.previewOptions, tab !== "preview");
    setHidden(this.sourceHost, tab !== "html");
    setHidden(this.textView, tab !== "text");
    setHidden(this.subjectView, tab !== "subject");
    setHidden(this.support.element, tab !== "clients");
    for (const b of this.element.querySelectorAll<HTMLButtonElement>("[data-group] button")) {
      const group = b.parentElement!.dataset.group;
      const current = group === "tab" ? tab : group === "width" ? width : group === "compare" ? compareMode : color;
      b.classList.toggle("active", b.dataset.value === current);
    }
    this.fitFrame();
  }

  private onSegment(event: Event, handle: (value: string) => void): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-value]");
    if (!button) return;
    const group = button.parentElement!;
    for (const b of group.querySelectorAll("button")) b.classList.toggle("active", b === button);
    handle(button.dataset.value!);
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
