// The handles between the panes: dragging one sets the width of the template list or of the
// preview, within bounds that leave the editor room, and the widths are kept for the next launch.

import type { Settings } from "./settings";

/** The width of `pane`, named by its handle's `data-resize`, with the pointer at `x` over a
 * workspace spanning `area`: the template list between 180 and 420 pixels, the preview at least
 * 340 and at most what leaves 520 to the list and the editor. */
export function paneWidth(pane: string, x: number, area: Pick<DOMRect, "left" | "right" | "width">): number {
  if (pane === "sidebar") return Math.min(Math.max(x - area.left, 180), 420);
  return Math.min(Math.max(area.right - x, 340), area.width - 520);
}

/** Lets each `.resizer` handle in `root` be dragged to resize its pane of `workspace`; the widths
 * are saved when the drag ends. */
export function bindResizers(root: HTMLElement, workspace: HTMLElement, settings: Settings): void {
  for (const handle of root.querySelectorAll<HTMLElement>(".resizer")) {
    handle.addEventListener("pointerdown", (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      const which = handle.dataset.resize!;
      const rect = workspace.getBoundingClientRect();
      document.body.classList.add("resizing");
      const move = (e: PointerEvent) => {
        const width = paneWidth(which, e.clientX, rect);
        root.style.setProperty(which === "sidebar" ? "--sidebar-width" : "--preview-width", `${width}px`);
      };
      const up = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
        document.body.classList.remove("resizing");
        settings.saveWidths(root);
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    });
  }
}
