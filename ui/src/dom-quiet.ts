// Updates to the app's own DOM that touch nothing when nothing changed. WebKit lays out and paints
// again whatever is replaced, even by an equal copy, and a repaint next to the preview frame
// repaints the email in it: on every keystroke that cost a whole frame's paint. Panels that are
// updated on each render go through these instead of rebuilding their content.

const shownKeys = new WeakMap<Element, string>();

/**
 * Replaces the children of `parent` with what `build` makes, unless they were built for `key`.
 * Empty strings among them stand for nothing.
 */
export function replaceIfNew(parent: Element, key: string, build: () => (Node | string)[]): void {
  if (shownKeys.get(parent) === key) return;
  shownKeys.set(parent, key);
  parent.replaceChildren(...build().filter((child) => child !== ""));
}

/** Sets the text of `node`, changing its one text node in place rather than replacing it. */
export function setText(node: Element, text: string): void {
  const first = node.firstChild;
  if (first && first === node.lastChild && first.nodeType === Node.TEXT_NODE) {
    if ((first as Text).data !== text) (first as Text).data = text;
  } else if (node.textContent !== text) {
    node.textContent = text;
  }
}

/** Shows or hides `node`, leaving it alone when it already is. */
export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** Sets a `data-` attribute, leaving it alone when it already has that value. */
export function setData(node: HTMLElement, name: string, value: string): void {
  if (node.dataset[name] !== value) node.dataset[name] = value;
}

/** Sets an inline style property, leaving it alone when it already has that value. */
export function setStyle(node: HTMLElement, property: string, value: string): void {
  if (node.style.getPropertyValue(property) !== value) node.style.setProperty(property, value);
}
