// The bar above the editor: a tab for each file of the current template (and the file in the
// editor when it is another one), marked when unsaved or in conflict, and the Format button.

import { el } from "./dialogs";
import type { Store } from "./store";
import { fileTabs, type WorkspaceState } from "./workspace-state";

export interface EditorTabsHooks {
  open(path: string): void;
  format(): void;
}

export class EditorTabs {
  readonly element: HTMLElement;
  private readonly tabs = el("div", { class: "file-tabs", role: "tablist", "data-testid": "file-tabs" });
  private readonly formatButton = el(
    "button",
    { class: "ghost small", "data-testid": "format", title: "Format document (Shift+Alt+F)" },
    "Format",
  );

  constructor(
    store: Store<WorkspaceState>,
    private readonly hooks: EditorTabsHooks,
  ) {
    this.element = el("div", { class: "pane-bar" }, this.tabs, el("div", { class: "spacer" }), this.formatButton);
    this.formatButton.addEventListener("click", () => this.hooks.format());
    store.subscribe(["project", "template", "dataSet", "activePath", "dirty", "conflicts"], (state) =>
      this.render(state),
    );
  }

  private render(state: Readonly<WorkspaceState>): void {
    this.formatButton.hidden = !state.activePath;
    this.tabs.replaceChildren(
      ...fileTabs(state).map(({ path, name, kind, active, dirty, conflict }) => {
        const tab = el(
          "button",
          {
            role: "tab",
            class: `file-tab${active ? " active" : ""}${conflict ? " conflict" : ""}`,
            "aria-selected": active ? "true" : "false",
            "data-path": path,
            "data-testid": `tab-${path}`,
            title: path,
          },
          kind ? el("span", { class: "tab-kind" }, kind) : null,
          name,
          dirty ? el("span", { class: "dot", title: "Unsaved changes" }) : null,
        );
        tab.addEventListener("click", () => this.hooks.open(path));
        return tab;
      }),
    );
  }
}
