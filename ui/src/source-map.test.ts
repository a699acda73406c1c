import { describe, expect, it } from "vitest";
import { markerAtCursor, markerNumber, markerOf, ownMarker } from "./source-map";
import type { Place } from "./types";

// A minimal tree of nodes with the fields the lookup reads, shaped like a browser's DOM.
interface FakeNode {
  nodeType: number;
  nodeValue: string | null;
  previousSibling: FakeNode | null;
  parentNode: FakeNode | null;
  children?: FakeNode[];
}
const element = (...children: FakeNode[]): FakeNode => {
  const node: FakeNode = { nodeType: 1, nodeValue: null, previousSibling: null, parentNode: null, children };
  children.forEach((c, i) => {
    c.parentNode = node;
    c.previousSibling = children[i - 1] ?? null;
  });
  return node;
};
const comment = (text: string): FakeNode => ({ nodeType: 8, nodeValue: text, previousSibling: null, parentNode: null });
const text = (value: string): FakeNode => ({ nodeType: 3, nodeValue: value, previousSibling: null, parentNode: null });
const asNode = (n: FakeNode) => n as unknown as Node;

describe("markers in the preview's document", () => {
  it("reads marker comments", () => {
    expect(markerNumber("lp-src:12")).toBe(12);
    expect(markerNumber(" lp-src:0 ")).toBe(0);
    expect(markerNumber("[if mso]><table><![endif]")).toBeNull();
    expect(markerNumber("lp-src:x")).toBeNull();
  });

  it("finds an element's own marker past other comments and blank text, and stops at anything else", () => {
    const div = element();
    const link = element();
    const words = text("a ");
    const p = element(words, comment("lp-src:1"), link);
    element(comment("lp-src:0"), text("\n  "), comment("[if mso]><table><![endif]"), div, p);
    expect(ownMarker(asNode(div))).toBe(0);
    expect(ownMarker(asNode(link))).toBe(1);
    // The paragraph follows an element: it has no marker of its own.
    expect(ownMarker(asNode(p))).toBeNull();
  });

  it("gives an element without a marker its parent's, and text its element's", () => {
    const inner = element();
    const words = text("Hello");
    const cell = element(words, inner);
    const table = element(cell);
    element(comment("lp-src:4"), table);
    expect(markerOf(asNode(inner))).toBe(4);
    expect(markerOf(asNode(words))).toBe(4);
    expect(markerOf(asNode(element()))).toBeNull();
    expect(markerOf(null)).toBeNull();
  });
});

describe("markerAtCursor", () => {
  const at = (file: string, line: number, column: number): Place => ({
    file,
    start: { line, column },
    end: { line, column: column + 5 },
  });
  const places = [
    at("t/template.mjml", 3, 5),
    at("t/template.mjml", 4, 7),
    at("partials/footer.mjml", 1, 1),
    at("t/template.mjml", 9, 9),
    at("partials/footer.mjml", 2, 3),
  ];

  it("picks the innermost element whose start tag begins at or before the cursor, in that file", () => {
    expect(markerAtCursor(places, "t/template.mjml", 1, 1)).toBeNull();
    expect(markerAtCursor(places, "t/template.mjml", 3, 5)).toBe(0);
    expect(markerAtCursor(places, "t/template.mjml", 4, 20)).toBe(1);
    expect(markerAtCursor(places, "t/template.mjml", 8, 1)).toBe(1);
    expect(markerAtCursor(places, "t/template.mjml", 12, 1)).toBe(3);
    expect(markerAtCursor(places, "partials/footer.mjml", 5, 1)).toBe(4);
    expect(markerAtCursor(places, "partials/footer.mjml", 1, 9)).toBe(2);
    expect(markerAtCursor(places, "other.mjml", 5, 1)).toBeNull();
  });
});
