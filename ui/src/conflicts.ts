// Conflicts: a file changed or deleted on disk while it had unsaved edits. The banner above the
// editor offers the choices for the file in the editor; the compare dialog shows both versions
// side by side, mine editable to merge the two by hand.

import { MergeView } from "@codemirror/merge";
import { EditorView } from "@codemirror/view";

import { fileKind } from "./buffers";
import { custom, el } from "./dialogs";
import { extensionsFor } from "./editor";
import type { Store } from "./store";
import type { WorkspaceState } from "./workspace-state";

export type ConflictChoice = "mine" | "theirs" | "compare";

export interface ConflictHooks {
  resolve(path: string, choice: ConflictChoice): void;
}

export class ConflictBanner {
  readonly element = el("div", { class: "banner", hidden: true, "data-testid": "conflict-banner" });

  constructor(
    store: Store<WorkspaceState>,
    private readonly hooks: ConflictHooks,
  ) {
    store.subscribe(["activePath", "conflicts"], (state) => this.render(state));
  }

  private render(state: Readonly<WorkspaceState>): void {
    const path = state.activePath;
    const conflict = state.conflicts.find((c) => c.path === path);
    const banner = this.element;
    if (!path || !conflict) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    const deleted = conflict.kind === "deleted";
    const button = (id: ConflictChoice, label: string, kind = "") => {
      const b = el("button", { class: `small ${kind}`, "data-testid": `conflict-${id}` }, label);
      b.addEventListener("click", () => this.hooks.resolve(path, id));
      return b;
    };
    banner.hidden = false;
    banner.replaceChildren(
      el(
        "div",
        { class: "banner-text" },
        el("strong", {}, deleted ? "This file was deleted on disk" : "This file changed on disk"),
        el(
          "span",
          {},
          deleted
            ? " while you had unsaved changes. Keep yours to write it back, or close it."
            : " while you had unsaved changes. Nothing has been overwritten.",
        ),
      ),
      el(
        "div",
        { class: "banner-actions" },
        deleted ? null : button("compare", "Compare"),
        button("theirs", deleted ? "Close file" : "Take theirs"),
        button("mine", "Keep mine", "primary"),
      ),
    );
  }
}

/** Shows mine and theirs side by side; mine can be edited to merge the two by hand. */
export function compareVersions(
  path: string,
  mine: string,
  theirs: string,
): Promise<{ choice: "mine" | "theirs"; text: string } | null> {
  return custom<{ choice: "mine" | "theirs"; text: string }>("compare-dialog", (close) => {
    const host = el("div", { class: "merge-host" });
    const kind = fileKind(path);
    const merge = new MergeView({
      a: { doc: mine, extensions: extensionsFor(path, kind, { onChange: () => undefined }) },
      b: {
        doc: theirs,
        extensions: [...extensionsFor(path, kind, { onChange: () => undefined }, true), EditorView.editable.of(false)],
      },
      parent: host,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    const keep = el("button", { class: "primary", "data-testid": "compare-mine" }, "Keep mine");
    const take = el("button", { "data-testid": "compare-theirs" }, "Take theirs");
    const cancel = el("button", {}, "Cancel");
    keep.addEventListener("click", () => {
      const text = merge.a.state.doc.toString();
      merge.destroy();
      close({ choice: "mine", text });
    });
    take.addEventListener("click", () => {
      merge.destroy();
      close({ choice: "theirs", text: theirs });
    });
    cancel.addEventListener("click", () => {
      merge.destroy();
      close(null);
    });
    return el(
      "div",
      {},
      el("h2", {}, `Compare ${path}`),
      el("div", { class: "merge-labels" }, el("span", {}, "Yours (editable)"), el("span", {}, "On disk")),
      host,
      el("div", { class: "modal-actions" }, cancel, take, keep),
    );
  });
}
