// The problems panel under the editor: every problem of the preview and the project, once each and
// in reading order, with their count. A click opens the file at the problem.

import { countsText, humanMessage, location, problemsLevel, severityCounts, severityMarker } from "./diagnostics";
import { el } from "./dialogs";
import type { Store } from "./store";
import type { Diagnostic } from "./types";
import { problems, type WorkspaceState } from "./workspace-state";

export interface ProblemsHooks {
  /** Opens the file of a problem at its place. */
  jump(problem: Diagnostic): void;
}

export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly count = el("span", { class: "count", "data-testid": "problems-count" }, "0");
  private readonly list = el("ul", { class: "problem-list", "data-testid": "problems" });

  constructor(
    store: Store<WorkspaceState>,
    private readonly hooks: ProblemsHooks,
  ) {
    this.element = el(
      "div",
      { class: "problems" },
      el("div", { class: "problems-head" }, el("span", {}, "Problems"), this.count),
      this.list,
    );
    store.subscribe(["preview", "project"], (state) => this.render(problems(state)));
  }

  /** What the panel shows, so that an unchanged list is not redrawn. */
  private shown: string | null = null;

  private render(list: readonly Diagnostic[]): void {
    // Most keystrokes leave the problems as they were: redrawing them would cost a repaint.
    const key = JSON.stringify(list);
    if (key === this.shown) return;
    this.shown = key;
    this.count.textContent = String(list.length);
    this.count.dataset.level = problemsLevel(list);
    this.count.title = countsText(severityCounts(list)) || "No problems";
    if (!list.length) {
      this.list.replaceChildren(el("li", { class: "problems-empty" }, "No problems in this template."));
      return;
    }
    this.list.replaceChildren(
      ...list.map((d) => {
        const b = el(
          "button",
          {
            class: `problem ${d.severity}`,
            "data-testid": "problem",
            "data-code": d.code,
            "data-file": d.file,
            "data-line": String(d.start.line),
          },
          el("span", { class: `severity ${d.severity}`, "aria-label": d.severity }, severityMarker(d.severity)),
          el("span", { class: "problem-message" }, humanMessage(d.message)),
          el("span", { class: "problem-location" }, location(d)),
        );
        b.addEventListener("click", () => this.hooks.jump(d));
        return el("li", {}, b);
      }),
    );
  }
}
