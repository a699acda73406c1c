// Links what the preview shows to the MJML that wrote it. The preview's document is the marked
// copy of the email: the comment `<!--lp-src:N-->` right before an element means that the MJML
// element `places[N]` wrote it; an element without a marker of its own belongs to its parent's.
// The lookup is the core's (`checks::page`): among the element's earlier siblings the nearest
// marker counts, other comments and blank text are skipped, anything else stops the search.

import type { Place } from "./types";

const PREFIX = "lp-src:";
const COMMENT = 8;
const TEXT = 3;
const ELEMENT = 1;

/** The number of a marker comment's text (`lp-src:12` → 12), or null. */
export function markerNumber(text: string): number | null {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) return null;
  const digits = t.slice(PREFIX.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/** The marker right before `node` among its siblings, if it has one of its own. */
export function ownMarker(node: Node): number | null {
  for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) {
    if (sibling.nodeType === COMMENT) {
      const n = markerNumber(sibling.nodeValue ?? "");
      if (n !== null) return n;
      continue;
    }
    if (sibling.nodeType === TEXT && !(sibling.nodeValue ?? "").trim()) continue;
    return null;
  }
  return null;
}

/** The marker that `node` (an element, or text inside one) belongs to: its own or an ancestor's. */
export function markerOf(node: Node | null): number | null {
  let current: Node | null = node && node.nodeType !== ELEMENT ? node.parentNode : node;
  while (current && current.nodeType === ELEMENT) {
    const own = ownMarker(current);
    if (own !== null) return own;
    current = current.parentNode;
  }
  return null;
}

/** Whether a place starts at or before line:column (one-based). */
function startsBy(place: Place, line: number, column: number): boolean {
  return place.start.line < line || (place.start.line === line && place.start.column <= column);
}

/**
 * The marker of the innermost element written in `file` whose start tag begins at or before the
 * cursor: the last such start, as places nest in document order. Null when there is none.
 */
export function markerAtCursor(places: readonly Place[], file: string, line: number, column: number): number | null {
  let best: number | null = null;
  for (let i = 0; i < places.length; i++) {
    const p = places[i];
    if (p.file !== file || !startsBy(p, line, column)) continue;
    if (best === null) {
      best = i;
      continue;
    }
    const b = places[best].start;
    if (p.start.line > b.line || (p.start.line === b.line && p.start.column >= b.column)) best = i;
  }
  return best;
}

/** The elements that marker `n` stands right before, in document order. */
export function elementsOfMarker(doc: Document, n: number): Element[] {
  const found: Element[] = [];
  const walker = doc.createTreeWalker(doc, 128 /* NodeFilter.SHOW_COMMENT */);
  for (let c = walker.nextNode(); c; c = walker.nextNode()) {
    if (markerNumber(c.nodeValue ?? "") !== n) continue;
    for (let next = c.nextSibling; next; next = next.nextSibling) {
      if (next.nodeType === ELEMENT) {
        found.push(next as Element);
        break;
      }
      if (next.nodeType === COMMENT && markerNumber(next.nodeValue ?? "") === null) continue;
      if (next.nodeType === TEXT && !(next.nodeValue ?? "").trim()) continue;
      break;
    }
  }
  return found;
}
