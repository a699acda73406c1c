// The code editor: CodeMirror 6 set up for MJML, Handlebars subjects and JSON data sets, with
// completion from the MJML schema, folding, search and replace, format document and inline
// diagnostics.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { xml } from "@codemirror/lang-xml";
import { html } from "@codemirror/lang-html";
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorState, RangeSetBuilder, type Extension, type Transaction } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  MatchDecorator,
  rectangularSelection,
  tooltips,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

import type { FileKind } from "./buffers";
import { diagnosticRange, humanMessage } from "./diagnostics";
import { formatMjml } from "./format";
import { xmlSchema } from "./mjml-schema";
import type { Diagnostic } from "./types";

const highlight = HighlightStyle.define([
  { tag: tags.tagName, color: "var(--syntax-tag)" },
  { tag: tags.attributeName, color: "var(--syntax-attr)" },
  { tag: [tags.attributeValue, tags.string], color: "var(--syntax-string)" },
  { tag: tags.comment, color: "var(--syntax-comment)", fontStyle: "italic" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--syntax-number)" },
  { tag: tags.propertyName, color: "var(--syntax-attr)" },
  { tag: [tags.angleBracket, tags.bracket, tags.punctuation, tags.separator], color: "var(--syntax-punct)" },
  { tag: tags.invalid, color: "var(--danger)" },
]);

const theme = EditorView.theme({
  "&": { height: "100%", backgroundColor: "var(--editor-bg)", color: "var(--text)", fontSize: "13px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.6" },
  ".cm-content": { caretColor: "var(--accent)", padding: "10px 0" },
  ".cm-cursor": { borderLeftColor: "var(--accent)", borderLeftWidth: "2px" },
  ".cm-gutters": { backgroundColor: "var(--editor-bg)", color: "var(--text-faint)", border: "none" },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--text-muted)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection) !important",
  },
  ".cm-selectionMatch": { backgroundColor: "var(--editor-match)" },
  ".cm-foldPlaceholder": {
    background: "var(--surface-2)",
    border: "none",
    color: "var(--text-muted)",
    padding: "0 6px",
  },
  ".cm-tooltip": {
    background: "var(--surface)",
    border: "1px solid var(--border)",
    borderRadius: "8px",
    boxShadow: "var(--shadow)",
  },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { background: "var(--accent-soft)", color: "var(--text)" },
  ".cm-panels": { background: "var(--surface)", color: "var(--text)", borderColor: "var(--border)" },
  ".cm-panel.cm-search": { padding: "8px 10px", fontFamily: "var(--sans)" },
  ".cm-panel.cm-search input, .cm-panel.cm-search button": { fontFamily: "var(--sans)", fontSize: "12px" },
  ".cm-textfield": {
    background: "var(--editor-bg)",
    border: "1px solid var(--border)",
    borderRadius: "6px",
    color: "var(--text)",
    padding: "3px 6px",
  },
  ".cm-button": {
    backgroundImage: "none",
    background: "var(--surface-2)",
    border: "1px solid var(--border)",
    borderRadius: "6px",
    color: "var(--text)",
  },
  ".cm-diagnostic": { fontFamily: "var(--sans)", fontSize: "12px" },
  ".cm-lintRange-error": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--danger)",
    textUnderlineOffset: "3px",
  },
  ".cm-lintRange-warning": {
    backgroundImage: "none",
    textDecoration: "underline wavy var(--warning)",
    textUnderlineOffset: "3px",
  },
  ".cm-lintRange-info": {
    backgroundImage: "none",
    textDecoration: "underline dotted var(--info)",
    textUnderlineOffset: "3px",
  },
  ".cm-diagnostic-info": { borderLeftColor: "var(--info)" },
  ".cm-hbs": { color: "var(--syntax-hbs)", background: "var(--syntax-hbs-bg)", borderRadius: "3px" },
});

/** Handlebars expressions stand out in every kind of file. */
const handlebarsMarks = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    private matcher = new MatchDecorator({
      regexp: /\{\{\{?[^{}]*\}?\}\}/g,
      decoration: Decoration.mark({ class: "cm-hbs" }),
    });
    constructor(view: EditorView) {
      this.decorations = this.matcher.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = this.matcher.updateDeco(update, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

/** Wrapped lines continue under their own indentation, a little further in, as code should. */
const hangingIndent = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
    }
    build(view: EditorView): DecorationSet {
      const builder = new RangeSetBuilder<Decoration>();
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          const indent = /^[ \t]*/.exec(line.text)![0].length + 4;
          builder.add(
            line.from,
            line.from,
            Decoration.line({
              attributes: { style: `padding-left: calc(${indent}ch + 6px); text-indent: -${indent}ch` },
            }),
          );
          pos = line.to + 1;
        }
      }
      return builder.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

function language(kind: FileKind): Extension {
  switch (kind) {
    case "mjml": {
      const schema = xmlSchema();
      return xml({ elements: schema.elements, attributes: schema.attributes, autoCloseTags: true });
    }
    case "data":
      return json();
    case "html":
      return html();
    default:
      return [];
  }
}

/** Reformats a document of the given kind; the text unchanged when it cannot be formatted. */
export function formatText(kind: FileKind, text: string): string {
  if (kind === "mjml") return formatMjml(text);
  if (kind === "data") {
    try {
      return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
    } catch {
      return text;
    }
  }
  return text;
}

/** Replaces the document with its formatted form as one undoable change. */
export function formatDocument(view: EditorView, kind: FileKind): boolean {
  const text = view.state.doc.toString();
  const formatted = formatText(kind, text);
  if (formatted === text) return false;
  view.dispatch({ changes: { from: 0, to: text.length, insert: formatted }, userEvent: "format" });
  return true;
}

export interface EditorHooks {
  onChange(path: string, text: string, transaction: Transaction): void;
  /** The cursor moved or the text changed. */
  onSelection?(path: string): void;
}

/** The syntax colours, shared with the read-only views. */
export const syntaxColors: Extension = syntaxHighlighting(highlight);
export const editorTheme: Extension = theme;

/** A fresh editor state for a file. */
export function createState(
  path: string,
  kind: FileKind,
  text: string,
  hooks: EditorHooks,
  readOnly = false,
): EditorState {
  return EditorState.create({ doc: text, extensions: extensionsFor(path, kind, hooks, readOnly) });
}

/** Everything an editor for a file of `kind` needs. */
export function extensionsFor(path: string, kind: FileKind, hooks: EditorHooks, readOnly = false): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    foldGutter({ markerDOM: (open) => marker(open) }),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    EditorState.readOnly.of(readOnly),
    indentUnit.of("  "),
    indentOnInput(),
    syntaxHighlighting(highlight),
    bracketMatching(),
    closeBrackets(),
    autocompletion({ icons: false }),
    // The editor's pane lays itself out alone (`contain` in styles.css), which would clip a
    // tooltip near its edge: tooltips are drawn in the page's body instead.
    tooltips({ parent: document.body }),
    rectangularSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    lintGutter(),
    keymap.of([
      {
        key: "Shift-Alt-f",
        run: (view) => {
          formatDocument(view, kind);
          return true;
        },
      },
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    language(kind),
    handlebarsMarks,
    theme,
    EditorView.lineWrapping,
    hangingIndent,
    EditorView.contentAttributes.of({ "aria-label": `Editor for ${path}`, spellcheck: "false" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) {
        for (const tr of update.transactions) if (tr.docChanged) hooks.onChange(path, update.state.doc.toString(), tr);
      }
      if (update.selectionSet || update.docChanged) hooks.onSelection?.(path);
    }),
  ];
}

function marker(open: boolean): HTMLElement {
  const span = document.createElement("span");
  span.className = `fold-marker ${open ? "open" : "closed"}`;
  span.textContent = open ? "⌄" : "›";
  return span;
}

/** Core diagnostics for one file as editor diagnostics. */
export function toEditorDiagnostics(state: EditorState, list: readonly Diagnostic[]): CmDiagnostic[] {
  return list.map((d) => {
    const range = diagnosticRange(state.doc, d);
    return {
      from: range.from,
      to: range.to,
      severity: d.severity,
      source: d.code,
      message: humanMessage(d.message),
    };
  });
}

/** A transaction spec that shows `list` in the editor. */
export function diagnosticsSpec(state: EditorState, list: readonly Diagnostic[]) {
  return setDiagnostics(state, toEditorDiagnostics(state, list));
}
