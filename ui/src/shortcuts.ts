// The keyboard shortcuts of the window, with Command on a Mac and Ctrl elsewhere: S saves, P goes
// to a template, O opens another project and Shift+D switches the data set. They work wherever the
// focus is, the editor included.

export type Shortcut = "save" | "quickOpen" | "switchDataSet" | "openOther";

/** The shortcut a key press makes, or null when it makes none. */
export function shortcutOf(
  e: Pick<KeyboardEvent, "key" | "shiftKey" | "metaKey" | "ctrlKey">,
  mac: boolean,
): Shortcut | null {
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (!mod) return null;
  const key = e.key.toLowerCase();
  if (key === "s" && !e.shiftKey) return "save";
  if (key === "p" && !e.shiftKey) return "quickOpen";
  if (key === "d" && e.shiftKey) return "switchDataSet";
  if (key === "o" && !e.shiftKey) return "openOther";
  return null;
}

/** Runs the action of each shortcut pressed, ahead of what the focused element does with the key. */
export function bindShortcuts(mac: boolean, actions: Record<Shortcut, () => void>): void {
  document.addEventListener(
    "keydown",
    (e) => {
      const shortcut = shortcutOf(e, mac);
      if (!shortcut) return;
      e.preventDefault();
      actions[shortcut]();
    },
    true,
  );
}
