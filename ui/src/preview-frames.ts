// One view of the rendered email: two stacked sandboxed frames, so a new document loads in the
// hidden one and replaces the visible one only once it is laid out (no white flash), inside a
// scroll container of the app's own, so the position is kept across every update.
//
// The email is untrusted and runs nothing: the frames are sandboxed with `allow-same-origin` only
// (no `allow-scripts`), and the document carries a policy refusing scripts. Same origin lets the
// app read and mark the frame's document from outside (measure it, find the element under the
// pointer, outline elements); the app never runs code inside it and never relies on listeners in
// it. Each frame is as tall as its email, so scrolling happens in the app's container, and a
// transparent layer over the frames takes every pointer event: a click never reaches the email,
// so its links cannot be followed.
//
// A new version whose head is the same as the shown one's (an edit of the content, the usual
// keystroke) is patched into the shown document instead: only the nodes that differ change, so
// nothing loads and the engine lays out only what changed. Another head (styles, colour mode, the
// first document) loads whole into the hidden frame.

import { parseHtml, patchBody, shellKey } from "./dom-patch";
import { setData, setStyle } from "./dom-quiet";
import { elementsOfMarker, markerOf } from "./source-map";
import { scrollAt, scrollRatio } from "./preview-policy";

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

/** The style the app puts into every previewed document, for outlining elements. */
const OUTLINE_CSS =
  "[data-lp-outline]{outline:2px solid #2f6fed !important;outline-offset:-1px !important;box-shadow:0 0 0 4px rgba(47,111,237,.25) !important}";

/** Attributes the app sets on the shown document, which a patch leaves alone. */
const KEEP: ReadonlySet<string> = new Set(["data-lp-outline"]);

export interface PaneHooks {
  /** A new document is showing. */
  loaded(pane: PreviewPane): void;
  /** The person clicked the preview; `marker` is the source marker of the element under the pointer. */
  clicked(pane: PreviewPane, marker: number | null): void;
  /** The person scrolled the view. */
  scrolled(pane: PreviewPane): void;
}

export class PreviewPane {
  /** The pane with its caption, for the layout. */
  readonly element: HTMLElement;
  readonly caption: HTMLElement;
  /** The scroll container, shaped like the client's window. */
  readonly wrap: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly scaler: HTMLElement;
  private readonly frames: [HTMLIFrameElement, HTMLIFrameElement];
  private front = 0;
  private pendingHtml: string | null = null;
  private savedTop = 0;
  private ignoreTop: number | null = null;
  private outlined: number | null = null;
  /** The head, root and mode of the shown document as loaded, before the app's own style. */
  private shownShell: string | null = null;
  /** How the last new version was shown: patched in place or loaded whole. */
  lastShownBy: "patch" | "load" | null = null;
  private width = 800;
  private scale = 1;
  private viewport = 200;
  private laidOut = false;
  /** What the shown document was made from, for the app. */
  shownHtml: string | null = null;

  constructor(
    private readonly testid: string,
    private readonly hooks: PaneHooks,
  ) {
    const frame = () =>
      el("iframe", {
        class: "preview-frame",
        title: "Email preview",
        // Same origin so that the app can read the document from outside; never allow-scripts,
        // forms, popups or navigation of the app: the email itself runs nothing.
        sandbox: "allow-same-origin",
        referrerpolicy: "no-referrer",
        tabindex: "-1",
      });
    this.frames = [frame(), frame()];
    this.frames[0].dataset.testid = testid;
    this.frames[1].dataset.testid = `${testid}-next`;
    this.frames[1].classList.add("back");
    this.scaler = el("div", { class: "frame-scaler" });
    this.scaler.append(...this.frames);
    const overlay = el("div", { class: "frame-overlay", "data-testid": `${testid}-overlay` });
    this.sizer = el("div", { class: "frame-sizer" });
    this.sizer.append(this.scaler, overlay);
    this.wrap = el("div", { class: "frame-wrap", "data-testid": `${testid}-scroll` });
    this.wrap.append(this.sizer);
    this.caption = el("div", { class: "pane-caption", "data-testid": `${testid}-caption` });
    this.element = el("div", { class: "frame-column" });
    this.element.append(this.caption, this.wrap);

    this.frames.forEach((f, i) => f.addEventListener("load", () => this.onLoad(i)));
    this.wrap.addEventListener("scroll", () => {
      const top = this.wrap.scrollTop;
      if (this.ignoreTop !== null && Math.abs(top - this.ignoreTop) < 1) {
        this.ignoreTop = null;
        this.savedTop = top;
        return;
      }
      this.ignoreTop = null;
      this.savedTop = top;
      this.hooks.scrolled(this);
    });
    overlay.addEventListener("click", (e) => {
      e.preventDefault();
      this.hooks.clicked(this, this.markerAt(e.clientX, e.clientY));
    });
  }

  /** The visible frame. */
  get frame(): HTMLIFrameElement {
    return this.frames[this.front];
  }

  /** The visible document, read from outside. */
  get document(): Document | null {
    return this.shownHtml === null ? null : this.frame.contentDocument;
  }

  /**
   * Shows `html`: patched into the visible document when only its body differs, otherwise loaded
   * into the hidden frame, which replaces the visible one once loaded.
   */
  load(html: string): void {
    if (html === this.shownHtml && this.pendingHtml === null) {
      queueMicrotask(() => this.shown("patch"));
      return;
    }
    if (this.pendingHtml === null && this.patch(html)) {
      queueMicrotask(() => this.shown("patch"));
      return;
    }
    const back = this.frames[1 - this.front];
    this.pendingHtml = html;
    back.srcdoc = html;
  }

  /** Patches the visible document into `html` when their heads agree; false when they do not. */
  private patch(html: string): boolean {
    const doc = this.document;
    if (!doc || this.shownShell === null) return false;
    const next = parseHtml(html);
    if (shellKey(next) !== this.shownShell || !patchBody(doc, next, KEEP)) return false;
    this.shownHtml = html;
    return true;
  }

  /** A new version is showing: size the frame to it, keep the place, mark it, tell the app. */
  private shown(by: "patch" | "load"): void {
    this.keepPlace();
    this.lastShownBy = by;
    setData(this.element, "shownBy", by);
    this.measure(by === "patch");
    this.restoreScroll();
    this.applyOutline();
    this.hooks.loaded(this);
  }

  /** Shows nothing. */
  clear(): void {
    this.pendingHtml = null;
    this.shownHtml = null;
    this.shownShell = null;
    for (const f of this.frames) f.srcdoc = "";
  }

  private onLoad(index: number): void {
    if (index === this.front || this.pendingHtml === null) return;
    const back = this.frames[index];
    if (back.srcdoc !== this.pendingHtml) return;
    this.shownHtml = this.pendingHtml;
    this.pendingHtml = null;
    const doc = back.contentDocument;
    this.shownShell = doc ? shellKey(doc) : null;
    if (doc?.head) {
      const style = doc.createElement("style");
      style.textContent = OUTLINE_CSS;
      doc.head.append(style);
    }
    const old = this.frames[this.front];
    this.front = index;
    back.classList.remove("back");
    back.dataset.testid = this.testid;
    old.classList.add("back");
    old.dataset.testid = `${this.testid}-next`;
    this.shown("load");
  }

  /** Lays the email out `width` wide at `scale`, in a window `viewport` pixels tall on screen. */
  layout(width: number, scale: number, viewport: number): void {
    // Nothing moved: only go back to the place, should another tab have hidden the view.
    if (width === this.width && scale === this.scale && Math.max(viewport, 100) === this.viewport && this.laidOut) {
      this.keepPlace();
      this.restoreScroll();
      return;
    }
    this.laidOut = true;
    const ratio = this.ratio;
    const widthChanged = width !== this.width;
    this.width = width;
    this.scale = scale;
    this.viewport = Math.max(viewport, 100);
    this.scaler.style.width = `${width}px`;
    this.scaler.style.transform = `scale(${scale})`;
    this.sizer.style.width = `${width * scale}px`;
    this.measure();
    // At another width the email has another height: keep the same part of it in view. Back from
    // another tab, where the view could not scroll, go back to where it was.
    if (widthChanged) this.ratio = ratio;
    else this.restoreScroll();
  }

  /**
   * Makes the visible frame as tall as its email. After a patch (`quick`), the frame keeps its
   * height unless the email grew, or shrank below it: measuring a shorter email takes a layout at
   * a smaller frame first, which an edit that leaves the height alone should not pay for.
   */
  measure(quick = false): void {
    const frame = this.frame;
    const doc = this.document;
    const least = this.viewport / this.scale;
    let height = least;
    const root = doc?.documentElement;
    const current = Number.parseFloat(frame.style.height);
    if (root && quick && current >= least) {
      const scrolled = root.scrollHeight;
      if (scrolled > current + 0.5) height = scrolled;
      else if (root.getBoundingClientRect().height >= current - 0.5) height = current;
      else height = this.exactHeight(root, least);
    } else if (root) {
      height = this.exactHeight(root, least);
    }
    setStyle(frame, "height", `${height}px`);
    setStyle(this.scaler, "height", `${height}px`);
    setStyle(this.sizer, "height", `${height * this.scale}px`);
  }

  /** The email's height, measured in a frame no taller than the view. */
  private exactHeight(root: HTMLElement, least: number): number {
    this.frame.style.height = `${least}px`;
    return Math.max(root.scrollHeight, least);
  }

  /**
   * Takes the view's place as it is now when it was scrolled since the last scroll event was
   * handled (the event comes with the next frame, an update can land before it). A view that was
   * hidden reads 0 and keeps the place saved before.
   */
  private keepPlace(): void {
    const live = this.wrap.scrollTop;
    if (this.wrap.clientHeight > 0 && live > 0) this.savedTop = live;
  }

  private restoreScroll(): void {
    if (Math.abs(this.wrap.scrollTop - this.savedTop) >= 1) {
      this.ignoreTop = this.savedTop;
      this.wrap.scrollTop = this.savedTop;
    }
  }

  /** How far down the view is, from 0 to 1. */
  get ratio(): number {
    return scrollRatio(this.wrap.scrollTop, this.wrap.scrollHeight, this.wrap.clientHeight);
  }

  set ratio(value: number) {
    const top = scrollAt(value, this.wrap.scrollHeight, this.wrap.clientHeight);
    this.savedTop = top;
    if (Math.abs(this.wrap.scrollTop - top) >= 1) {
      this.ignoreTop = top;
      this.wrap.scrollTop = top;
    }
  }

  /** The source marker of the element at a point of the app's window. */
  private markerAt(clientX: number, clientY: number): number | null {
    const doc = this.document;
    if (!doc) return null;
    const box = this.scaler.getBoundingClientRect();
    const x = (clientX - box.left) / this.scale;
    const y = (clientY - box.top) / this.scale;
    return markerOf(doc.elementFromPoint(x, y));
  }

  /** Outlines the elements marker `n` wrote, or none. */
  outline(n: number | null): void {
    this.outlined = n;
    this.applyOutline();
  }

  private applyOutline(): void {
    const doc = this.document;
    if (!doc) return;
    for (const node of doc.querySelectorAll("[data-lp-outline]")) node.removeAttribute("data-lp-outline");
    if (this.outlined === null) return;
    for (const node of elementsOfMarker(doc, this.outlined)) node.setAttribute("data-lp-outline", "");
  }

  /** The outlined elements' top, in the view's pixels, if any. */
  outlinedTop(): number | null {
    const doc = this.document;
    const first = doc?.querySelector("[data-lp-outline]");
    if (!first) return null;
    return first.getBoundingClientRect().top * this.scale;
  }

  /** Brings the outlined element into view when it is out of it. */
  revealOutline(): void {
    const top = this.outlinedTop();
    if (top === null) return;
    const view = this.wrap;
    if (top >= view.scrollTop && top <= view.scrollTop + view.clientHeight - 40) return;
    const target = Math.max(0, top - view.clientHeight / 3);
    this.savedTop = target;
    view.scrollTop = target;
  }
}
