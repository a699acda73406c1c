// Brings a shown document up to date with new HTML by changing only what differs, instead of
// loading a whole new document: typing a letter changes one text node, so the engine restyles and
// lays out that much and the frame is repainted without a load. Used only when the document's
// head, root element and mode are the same as before; anything else loads the new document whole.
//
// The new HTML is parsed with `DOMParser`, whose documents never run script, and its nodes are
// copied into a frame that is sandboxed without `allow-scripts`: patching runs nothing the email
// holds, as loading it does not.

const ELEMENT = 1;
const TEXT = 3;
const COMMENT = 8;

/** What must be equal for a document to be patched rather than loaded: head, root and mode. */
export function shellKey(doc: Document): string {
  const root = doc.documentElement;
  const attrs = root ? [...root.attributes].map((a) => `${a.name}=${a.value}`).join("\u0001") : "";
  return `${doc.compatMode}\u0000${attrs}\u0000${doc.head?.innerHTML ?? ""}`;
}

/** Parses HTML as the frame would, into a document that runs nothing. */
export function parseHtml(html: string): Document {
  return new DOMParser().parseFromString(html, "text/html");
}

/**
 * Makes `target`'s body equal to `source`'s, touching only nodes that differ; false when either
 * has no body. Attributes named in `keep` are left alone on `target` (the app's own marks, such as
 * the outline).
 */
export function patchBody(target: Document, source: Document, keep: ReadonlySet<string> = new Set()): boolean {
  if (!target.body || !source.body) return false;
  patchElement(target, target.body, source.body, keep);
  return true;
}

function patchElement(doc: Document, to: Element, from: Element, keep: ReadonlySet<string>): void {
  patchAttributes(to, from, keep);
  const fromChildren = from.childNodes;
  let toChild = to.firstChild;
  for (let i = 0; i < fromChildren.length; i++) {
    const want = fromChildren[i];
    if (!toChild) {
      to.appendChild(doc.importNode(want, true));
      continue;
    }
    const next = toChild.nextSibling;
    if (sameKind(toChild, want)) {
      if (want.nodeType === ELEMENT) {
        patchElement(doc, toChild as Element, want as Element, keep);
      } else if (toChild.nodeValue !== want.nodeValue) {
        toChild.nodeValue = want.nodeValue;
      }
    } else {
      to.replaceChild(doc.importNode(want, true), toChild);
    }
    toChild = next;
  }
  while (toChild) {
    const next = toChild.nextSibling;
    to.removeChild(toChild);
    toChild = next;
  }
}

/** Whether `node` can be turned into `want` in place: same kind of node, same element. */
function sameKind(node: Node, want: Node): boolean {
  if (node.nodeType !== want.nodeType) return false;
  if (want.nodeType === TEXT || want.nodeType === COMMENT) return true;
  if (want.nodeType !== ELEMENT) return false;
  const a = node as Element;
  const b = want as Element;
  // A template element keeps its content apart from its children: copy it whole.
  return a.localName === b.localName && a.namespaceURI === b.namespaceURI && b.localName !== "template";
}

function patchAttributes(to: Element, from: Element, keep: ReadonlySet<string>): void {
  for (const attr of [...to.attributes]) {
    if (keep.has(attr.name)) continue;
    if (!from.hasAttributeNS(attr.namespaceURI, attr.localName)) {
      to.removeAttributeNS(attr.namespaceURI, attr.localName);
    }
  }
  for (const attr of from.attributes) {
    if (to.getAttributeNS(attr.namespaceURI, attr.localName) !== attr.value) {
      to.setAttributeNS(attr.namespaceURI, attr.name, attr.value);
    }
  }
}
