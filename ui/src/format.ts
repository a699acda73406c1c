// Formatting: "format document" for MJML, and a readable layout of compiled HTML for the source
// tab. Both only ever change whitespace between tags; when in doubt they leave the text alone.

import schema from "../../crates/letterpress-core/src/compile/mjml-schema.json";

type Token =
  | { kind: "open"; name: string; text: string; selfClosing: boolean }
  | { kind: "close"; name: string; text: string }
  | { kind: "comment"; text: string }
  | { kind: "text"; text: string };

/** MJML elements whose content is HTML or text and is kept as written: the components the
 * reference compiler's table marks `ending`, as the core reads them. */
export const MJML_RAW: ReadonlySet<string> = new Set(
  Object.entries(schema.elements as Record<string, { ending: boolean }>)
    .filter(([, component]) => component.ending)
    .map(([name]) => name),
);

/** Splits markup into tags, comments and text. Returns null when a tag never ends. */
function tokenize(source: string, rawElements: ReadonlySet<string>): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf("<", i);
    if (lt === -1) {
      tokens.push({ kind: "text", text: source.slice(i) });
      break;
    }
    if (lt > i) tokens.push({ kind: "text", text: source.slice(i, lt) });
    if (source.startsWith("<!--", lt)) {
      const end = source.indexOf("-->", lt + 4);
      if (end === -1) return null;
      tokens.push({ kind: "comment", text: source.slice(lt, end + 3) });
      i = end + 3;
      continue;
    }
    if (source.startsWith("<![CDATA[", lt)) {
      const end = source.indexOf("]]>", lt);
      if (end === -1) return null;
      tokens.push({ kind: "text", text: source.slice(lt, end + 3) });
      i = end + 3;
      continue;
    }
    if (source.startsWith("<!", lt) || source.startsWith("<?", lt)) {
      const end = source.indexOf(">", lt);
      if (end === -1) return null;
      tokens.push({ kind: "comment", text: source.slice(lt, end + 1) });
      i = end + 1;
      continue;
    }
    const nameMatch = /^<(\/?)([A-Za-z][\w:.-]*)/.exec(source.slice(lt, lt + 200));
    if (!nameMatch) {
      // A lone `<` in text, e.g. `a < b`.
      tokens.push({ kind: "text", text: "<" });
      i = lt + 1;
      continue;
    }
    // Find the end of the tag, skipping `>` inside quoted attribute values.
    let j = lt + nameMatch[0].length;
    let quote: string | null = null;
    while (j < n) {
      const c = source[j];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === ">") {
        break;
      }
      j++;
    }
    if (j >= n) return null;
    const text = source.slice(lt, j + 1);
    const name = nameMatch[2].toLowerCase();
    i = j + 1;
    if (nameMatch[1] === "/") {
      tokens.push({ kind: "close", name, text });
      continue;
    }
    const selfClosing = /\/\s*>$/.test(text);
    tokens.push({ kind: "open", name, text, selfClosing });
    if (!selfClosing && rawElements.has(name)) {
      const closeRe = new RegExp(`</${name.replace(/[.]/g, "\\.")}\\s*>`, "i");
      const rest = source.slice(i);
      const m = closeRe.exec(rest);
      if (!m) return null;
      tokens.push({ kind: "text", text: rest.slice(0, m.index) });
      tokens.push({ kind: "close", name, text: m[0] });
      i += m.index + m[0].length;
    }
  }
  return tokens;
}

/** A tag with its attributes separated by single spaces and `/>` written as ` />`. */
function normalizeTag(text: string, selfClosing: boolean): string {
  const inner = text.slice(1, selfClosing ? text.lastIndexOf("/") : -1);
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const c of inner) {
    if (quote) {
      current += c;
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      current += c;
      quote = c;
    } else if (/\s/.test(c)) {
      if (current) parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  if (current) parts.push(current);
  // `name = "value"` written with spaces around `=` becomes one part again.
  const joined: string[] = [];
  for (const part of parts) {
    const last = joined.length - 1;
    if (last >= 0 && (part.startsWith("=") || joined[last].endsWith("="))) joined[last] += part;
    else joined.push(part);
  }
  return `<${joined.join(" ")}${selfClosing ? " />" : ">"}`;
}

/** Removes the common indentation of the non-blank lines and indents them by `indent`. */
function reindent(text: string, indent: string): string[] {
  const lines = text.split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  const widths = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const common = widths.length ? Math.min(...widths) : 0;
  return lines.map((l) => (l.trim() === "" ? "" : indent + l.slice(common).replace(/\s+$/, "")));
}

const significant = (text: string) => text.replace(/\s+/g, "");

/**
 * Formats an MJML document: one structural tag per line, two spaces per level, the content of
 * text-like components kept as written (re-indented when it spans lines). Returns the source
 * unchanged when it cannot be formatted safely.
 */
export function formatMjml(source: string): string {
  const tokens = tokenize(source, MJML_RAW);
  if (!tokens) return source;
  const out: string[] = [];
  let depth = 0;
  const stack: string[] = [];
  const pad = (d: number) => "  ".repeat(Math.max(0, d));
  let blankPending = false;
  const emit = (line: string) => {
    if (blankPending && out.length > 0 && out[out.length - 1] !== "") out.push("");
    blankPending = false;
    out.push(line);
  };
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    switch (token.kind) {
      case "text": {
        if (token.text.trim() === "") {
          // Keep one blank line where the author left one or more.
          if ((token.text.match(/\n/g) ?? []).length >= 2) blankPending = true;
          break;
        }
        for (const line of reindent(token.text, pad(depth))) emit(line);
        break;
      }
      case "comment":
        reindent(token.text, pad(depth)).forEach(emit);
        break;
      case "open": {
        const tag = normalizeTag(token.text, token.selfClosing);
        if (token.selfClosing) {
          emit(pad(depth) + tag);
          break;
        }
        if (MJML_RAW.has(token.name)) {
          const content = tokens[k + 1]?.kind === "text" ? tokens[k + 1].text : "";
          const close = tokens[k + 2];
          k += 2;
          const closeText = close?.kind === "close" ? close.text.replace(/\s+/g, "") : `</${token.name}>`;
          const keepVerbatim = /<(pre|textarea)\b/i.test(content);
          if (keepVerbatim) {
            emit(pad(depth) + tag + content + closeText);
          } else if (!content.includes("\n")) {
            emit(pad(depth) + tag + content.trim() + closeText);
          } else {
            emit(pad(depth) + tag);
            reindent(content, pad(depth + 1)).forEach((l) => out.push(l));
            emit(pad(depth) + closeText);
          }
          break;
        }
        emit(pad(depth) + tag);
        stack.push(token.name);
        depth++;
        break;
      }
      case "close": {
        const at = stack.lastIndexOf(token.name);
        if (at !== -1) {
          depth -= stack.length - at;
          stack.length = at;
        }
        emit(pad(depth) + token.text.replace(/\s+/g, ""));
        break;
      }
    }
  }
  const result = `${out.join("\n")}\n`;
  // Formatting may only move whitespace; anything else means the tokenizer misread the input.
  return significant(result) === significant(source) ? result : source;
}

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);
const HTML_RAW = new Set(["script", "style", "textarea", "pre", "title"]);
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "br",
  "code",
  "em",
  "font",
  "i",
  "img",
  "s",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "u",
  "wbr",
]);

/** Lays out compiled HTML one block element per line, keeping inline runs and raw text intact. */
export function prettyHtml(html: string): string {
  const tokens = tokenize(html, HTML_RAW);
  if (!tokens) return html;
  const lines: string[] = [];
  let depth = 0;
  const stack: string[] = [];
  let run = "";
  const pad = () => "  ".repeat(Math.max(0, depth));
  const flush = () => {
    const text = run.replace(/\s+/g, " ").trim();
    if (text) lines.push(pad() + text);
    run = "";
  };
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.kind === "text") {
      run += token.text;
    } else if (token.kind === "comment") {
      flush();
      lines.push(pad() + token.text.trim());
    } else if (token.kind === "open" && INLINE.has(token.name)) {
      run += token.text;
    } else if (token.kind === "close" && INLINE.has(token.name)) {
      run += token.text;
    } else if (token.kind === "open") {
      flush();
      if (HTML_RAW.has(token.name) && !token.selfClosing) {
        const content = tokens[k + 1]?.kind === "text" ? tokens[k + 1].text : "";
        const close = tokens[k + 2]?.kind === "close" ? tokens[k + 2].text : `</${token.name}>`;
        k += 2;
        if (!content.includes("\n")) lines.push(pad() + token.text + content + close);
        else {
          lines.push(pad() + token.text);
          depth++;
          reindent(content, pad()).forEach((l) => lines.push(l));
          depth--;
          lines.push(pad() + close);
        }
      } else {
        lines.push(pad() + token.text);
        if (!token.selfClosing && !VOID.has(token.name)) {
          stack.push(token.name);
          depth++;
        }
      }
    } else {
      flush();
      const at = stack.lastIndexOf(token.name);
      if (at !== -1) {
        depth -= stack.length - at;
        stack.length = at;
      }
      lines.push(pad() + token.text);
    }
  }
  flush();
  return `${lines.join("\n")}\n`;
}
