// Lists in which one row is selected, as the inbox and the history show them: one row takes part in
// Tab order, and ArrowDown and ArrowUp move the selection between rows.

/**
 * The key ArrowDown (`1`) or ArrowUp (`-1`) selects after `selected` among `keys`: the next or the
 * previous one, staying on the last or the first; the first when nothing (or nothing listed) is
 * selected; `null` when the list is empty.
 */
export function nextSelection<K>(keys: readonly K[], selected: K | null, step: 1 | -1): K | null {
  const at = selected === null ? -1 : keys.indexOf(selected);
  return keys[Math.min(Math.max(at + step, 0), keys.length - 1)] ?? null;
}

/**
 * The attributes that make the row with `key` an option of the listbox: selected or not, and in
 * Tab order when it is the selected row, or the first row (`first`) while none is selected.
 */
export function optionAttributes<K>(key: K, selected: K | null, first: K | undefined): Record<string, string> {
  return {
    role: "option",
    tabindex: key === (selected ?? first) ? "0" : "-1",
    "aria-selected": String(key === selected),
  };
}

/** Focuses the selected row of `list`, where a click or an arrow key leaves the focus. */
export function focusSelected(list: HTMLElement): void {
  list.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
}

/**
 * Lets ArrowDown and ArrowUp on `list` move its selection: `select` gets the key of the row to
 * select, found with `nextSelection` among `keys()` from `selected()`.
 */
export function arrowKeys<K>(
  list: HTMLElement,
  keys: () => readonly K[],
  selected: () => K | null,
  select: (key: K) => void,
): void {
  list.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const next = nextSelection(keys(), selected(), e.key === "ArrowDown" ? 1 : -1);
    if (next !== null) select(next);
  });
}
