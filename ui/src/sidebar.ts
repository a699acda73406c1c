// The template list and the partials beside the editor, marked when they have unsaved edits, with
// the buttons that create a template and open each template's actions.

import { el } from "./dialogs";
import type { Store } from "./store";
import type { WorkspaceState } from "./workspace-state";

export interface SidebarHooks {
  select(template: string): void;
  open(path: string): void;
  /** Opens the actions of a template: rename, duplicate, delete. */
  actions(template: string): void;
  create(): void;
}

export class Sidebar {
  readonly element: HTMLElement;
  private readonly templateList = el("ul", { class: "template-list", "data-testid": "template-list", role: "list" });
  private readonly partialList = el("ul", { class: "partial-list", "data-testid": "partial-list", role: "list" });

  constructor(
    store: Store<WorkspaceState>,
    private readonly hooks: SidebarHooks,
  ) {
    const create = el(
      "button",
      { class: "icon-button", "data-testid": "new-template", title: "New template", "aria-label": "New template" },
      "+",
    );
    create.addEventListener("click", () => this.hooks.create());
    this.element = el(
      "nav",
      { class: "sidebar", "aria-label": "Templates" },
      el("div", { class: "sidebar-head" }, el("span", {}, "Templates"), create),
      this.templateList,
      el("div", { class: "sidebar-head" }, el("span", {}, "Partials")),
      this.partialList,
    );
    store.subscribe(["project", "template", "activePath", "dirty"], (state) => this.render(state));
  }

  private render(state: Readonly<WorkspaceState>): void {
    const project = state.project;
    if (!project) return;
    const dirty = state.dirty;
    const dirtyTemplates = new Set(dirty.map((path) => path.split("/")[0]));
    this.templateList.replaceChildren(
      ...project.templates.map((t) => {
        const open = el(
          "button",
          { class: "template-open", "data-testid": `template-${t.name}` },
          el("span", { class: "template-name" }, t.name),
          dirtyTemplates.has(t.name) ? el("span", { class: "dot", title: "Unsaved changes" }) : null,
          el(
            "span",
            { class: "template-meta", title: `${t.dataSets.length} data set${t.dataSets.length === 1 ? "" : "s"}` },
            String(t.dataSets.length),
          ),
        );
        open.addEventListener("click", () => this.hooks.select(t.name));
        const menu = el(
          "button",
          {
            class: "icon-button row-menu",
            title: `Actions for ${t.name}`,
            "aria-label": `Actions for ${t.name}`,
            "data-testid": `template-menu-${t.name}`,
          },
          "⋯",
        );
        menu.addEventListener("click", (e) => {
          e.stopPropagation();
          this.hooks.actions(t.name);
        });
        const li = el("li", { class: t.name === state.template ? "active" : "", "data-template": t.name }, open, menu);
        li.addEventListener("contextmenu", (e) => {
          e.preventDefault();
          this.hooks.actions(t.name);
        });
        return li;
      }),
    );
    if (!project.templates.length) {
      const create = el("button", { class: "link" }, "Create the first template");
      create.addEventListener("click", () => this.hooks.create());
      this.templateList.append(el("li", { class: "list-empty" }, el("span", {}, "No templates yet."), create));
    }
    this.partialList.replaceChildren(
      ...project.partials.map((p) => {
        const b = el(
          "button",
          { class: `partial-open${p === state.activePath ? " active" : ""}`, "data-testid": `partial-${p}`, title: p },
          el("span", { class: "template-name" }, p.split("/").slice(1).join("/") || p),
          dirty.includes(p) ? el("span", { class: "dot", title: "Unsaved changes" }) : null,
        );
        b.addEventListener("click", () => this.hooks.open(p));
        return el("li", {}, b);
      }),
    );
    if (!project.partials.length) this.partialList.append(el("li", { class: "list-empty" }, "No partials."));
  }
}
