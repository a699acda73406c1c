// The inbox view of the preview pane: how the popular mail clients support what the template
// uses, the features each client lacks, and the size of every data set's HTML. The logic lives in
// `client-support.ts`; this module only draws it.

import {
  cell,
  clientLines,
  firstPlace,
  markSymbol,
  placeLabel,
  problemMarks,
  shortUrl,
  sizeEntries,
  splitProblems,
  supportHeader,
  usesText,
  type ClientLine,
} from "./client-support";
import { el } from "./dialogs";
import type { ClientSupport, DataSetSize, Place, SupportProblem } from "./types";

export type SizesState =
  | { status: "loading" }
  | { status: "ready"; sizes: DataSetSize[] }
  | { status: "failed"; message: string };

export interface SupportHooks {
  /** Puts the editor's cursor where a feature is written. */
  jump(place: Place): void;
  /** Copies a web address, since the app opens no other pages. */
  copy(url: string): void;
}

export class SupportView {
  readonly element = el("div", { class: "support-view", hidden: true, "data-testid": "support-view" });
  /** Whether the generated features are unfolded; kept across renders. */
  private generatedOpen = false;

  constructor(private readonly hooks: SupportHooks) {}

  render(support: ClientSupport | null, sizes: SizesState | null, stale: boolean): void {
    this.element.classList.toggle("stale", stale);
    const parts: HTMLElement[] = [this.sizes(sizes)];
    if (!support) {
      parts.unshift(el("p", { class: "support-empty" }, "Client support appears once the template compiles."));
      this.element.replaceChildren(...parts);
      return;
    }
    const { own, generated } = splitProblems(support);
    const clients = clientLines(support, own);
    parts.unshift(
      el(
        "div",
        { class: "support-head" },
        el("h2", {}, "Client support"),
        el(
          "span",
          { class: "support-source", "data-testid": "support-header", title: `Last updated ${support.updated}` },
          supportHeader(support),
        ),
      ),
    );
    parts.push(
      el(
        "section",
        { class: "support-section" },
        el("h3", {}, "Popular clients"),
        el(
          "p",
          { class: "support-hint" },
          "Lowest score first. ✕ does not support a feature the template uses, ◐ supports it partly.",
        ),
        this.matrix(clients, own),
      ),
      el(
        "section",
        { class: "support-section" },
        el("h3", {}, own.length ? "What the template writes that some clients lack" : "What the template writes"),
        own.length
          ? el(
              "ol",
              { class: "support-problems", "data-testid": "support-problems" },
              ...own.map((p, i) => this.problem(p, clients, i + 1)),
            )
          : el("p", { class: "support-empty" }, "Every popular client supports what this template writes."),
      ),
    );
    if (generated.length) {
      const details = el(
        "details",
        { class: "support-generated", "data-testid": "support-generated", open: this.generatedOpen },
        el(
          "summary",
          {},
          `Added by MJML (${generated.length})`,
          el(
            "span",
            { class: "support-hint" },
            " · in the markup MJML generates for every message, not written by you",
          ),
        ),
        el("ol", { class: "support-problems" }, ...generated.map((p) => this.problem(p, clients, null))),
      );
      details.addEventListener("toggle", () => (this.generatedOpen = details.open));
      parts.push(details);
    }
    this.element.replaceChildren(...parts);
  }

  /** One row per client, one column per feature the template writes. */
  private matrix(clients: ClientLine[], problems: SupportProblem[]): HTMLElement {
    const head = el(
      "tr",
      {},
      el("th", { class: "client-name", scope: "col" }, "Client"),
      el("th", { class: "client-score", scope: "col" }, "Score"),
      ...problems.map((p, i) =>
        el("th", { class: "feature-col", scope: "col", title: `${p.written} (${p.title})` }, String(i + 1)),
      ),
    );
    const rows = clients.map((c) =>
      el(
        "tr",
        {
          "data-testid": "support-client",
          "data-client": c.id,
          "data-score": String(c.score),
          class: `level-${c.level}`,
        },
        el("th", { class: "client-name", scope: "row" }, c.name),
        el(
          "td",
          { class: "client-score" },
          el(
            "div",
            { class: "score-cell" },
            el(
              "span",
              { class: "score-bar", "aria-hidden": "true" },
              el("span", { class: "score-fill", style: `width: ${c.score}%` }),
            ),
            el("span", { class: "score-value", "data-testid": "client-score" }, String(c.score)),
          ),
        ),
        ...problems.map((p) => {
          const { mark, note } = cell(p, c.id);
          const title =
            mark === "none"
              ? `${c.name} does not support ${p.written}`
              : mark === "partial"
                ? `${c.name} supports ${p.written} partly${note ? `: ${note}` : ""}`
                : `${c.name} supports ${p.written}`;
          return el("td", { class: `mark ${mark}`, title, "data-mark": mark }, markSymbol(mark));
        }),
      ),
    );
    return el(
      "div",
      { class: "support-table-wrap" },
      el(
        "table",
        { class: "support-table", "data-testid": "support-table" },
        el("thead", {}, head),
        el("tbody", {}, ...rows),
      ),
    );
  }

  private problem(p: SupportProblem, clients: ClientLine[], index: number | null): HTMLElement {
    const place = firstPlace(p);
    const jump = el(
      "button",
      {
        class: "support-jump",
        type: "button",
        "data-testid": "support-problem",
        "data-slug": p.slug,
        "data-written": p.written,
        "data-file": place?.file,
        "data-line": place ? String(place.start.line) : undefined,
        disabled: !place,
        title: place ? `Go to ${placeLabel(place)}` : undefined,
      },
      index !== null ? el("span", { class: "feature-index" }, String(index)) : null,
      el("code", {}, p.written),
      p.title !== p.written ? el("span", { class: "feature-title" }, p.title) : null,
      el("span", { class: "spacer" }),
      place ? el("span", { class: "feature-place" }, placeLabel(place)) : null,
    );
    if (place) jump.addEventListener("click", () => this.hooks.jump(place));
    const marks = problemMarks(p, clients);
    const copy = el("button", { class: "link", type: "button", title: "Copy the address" }, "Copy");
    copy.addEventListener("click", () => this.hooks.copy(p.url));
    return el(
      "li",
      { class: "support-problem" },
      jump,
      el(
        "div",
        { class: "feature-marks" },
        ...marks.map((m) =>
          el(
            "span",
            {
              class: `client-mark ${m.mark}`,
              title: m.mark === "none" ? "Not supported" : `Partly supported${m.note ? `: ${m.note}` : ""}`,
              "data-client": m.id,
            },
            `${markSymbol(m.mark)} ${m.name}`,
          ),
        ),
      ),
      el(
        "div",
        { class: "feature-meta" },
        el("span", {}, usesText(p.uses)),
        el("span", { class: "feature-url", "data-testid": "support-url", title: p.url }, shortUrl(p.url)),
        copy,
      ),
    );
  }

  private sizes(state: SizesState | null): HTMLElement {
    const section = el(
      "section",
      { class: "support-section support-sizes", "data-testid": "data-set-sizes" },
      el("h3", {}, "HTML size per data set"),
    );
    if (!state || state.status === "loading") {
      section.append(el("p", { class: "support-hint" }, "Measuring…"));
      section.dataset.state = "loading";
      return section;
    }
    if (state.status === "failed") {
      section.append(el("p", { class: "support-hint" }, state.message));
      section.dataset.state = "failed";
      return section;
    }
    section.dataset.state = "ready";
    section.append(
      el(
        "ul",
        { class: "size-list" },
        ...sizeEntries(state.sizes).map((e) =>
          el(
            "li",
            {
              class: `size-entry size-${e.level}`,
              "data-testid": "data-set-size",
              "data-name": e.label,
              "data-bytes": e.bytes === null ? undefined : String(e.bytes),
              "data-level": e.level,
              title: e.title,
            },
            el("span", { class: "size-name" }, e.label),
            el("span", { class: "size-value" }, e.text),
          ),
        ),
      ),
      el("p", { class: "support-hint" }, "Gmail clips the HTML above 102 KB; sizes turn amber above 80 % of that."),
    );
    return section;
  }
}
