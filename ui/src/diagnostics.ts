// Diagnostics from the core (one-based lines, columns in Unicode scalar values) turned into
// editor ranges (UTF-16 offsets), and ordered for the problems panel.

import { BackendError, type Diagnostic, type ErrorCode, type Severity } from "./types";

/** The UTF-16 offset within `line` of a one-based column counted in code points. */
export function columnOffset(line: string, column: number): number {
  if (column <= 1) return 0;
  let offset = 0;
  let count = 1;
  for (const ch of line) {
    if (count >= column) break;
    offset += ch.length;
    count++;
  }
  return offset;
}

export interface LineSource {
  lines: number;
  line(n: number): { from: number; to: number; text: string };
}

/** The editor range a diagnostic covers; the whole first line for a file-level diagnostic. */
export function diagnosticRange(doc: LineSource, d: Diagnostic): { from: number; to: number } {
  if (d.start.line <= 0 || doc.lines === 0) {
    const first = doc.line(1);
    return { from: first.from, to: first.to };
  }
  const clampLine = (n: number) => Math.min(Math.max(n, 1), doc.lines);
  const startLine = doc.line(clampLine(d.start.line));
  const from = Math.min(startLine.from + columnOffset(startLine.text, d.start.column), startLine.to);
  let to = from;
  if (d.end.line > 0) {
    const endLine = doc.line(clampLine(d.end.line));
    to = Math.min(endLine.from + columnOffset(endLine.text, d.end.column), endLine.to);
  }
  if (to <= from) {
    // A point: underline up to the end of the word, or one character, so it can be seen.
    const rest = startLine.text.slice(from - startLine.from);
    const word = /^[\w:.-]+/.exec(rest)?.[0].length ?? 0;
    to = Math.min(from + Math.max(word, 1), startLine.to);
    if (to <= from && from > startLine.from) return { from: from - 1, to: from };
  }
  return { from, to };
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors, then warnings, then infos; each by file and position. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => RANK[d.severity] ?? 1;
  return [...list].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.file.localeCompare(b.file) ||
      a.start.line - b.start.line ||
      a.start.column - b.start.column,
  );
}

/** `welcome/template.mjml:12:5`, or just the file for a file-level diagnostic. */
export function location(d: Diagnostic): string {
  return d.start.line > 0 ? `${d.file}:${d.start.line}:${d.start.column}` : d.file;
}

/** Removes exact repeats, which appear when project and preview diagnostics overlap. */
export function uniqueDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.severity}|${d.code}|${location(d)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Turns the core's backticks into quotes a person reads naturally. */
export function humanMessage(message: string): string {
  const text = message.replace(/`([^`]*)`/g, "“$1”");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The code of whatever a command threw, and its message in the words the app shows. */
export function errorText(error: unknown): { code: ErrorCode; message: string } {
  const e = BackendError.from(error);
  return { code: e.code, message: humanMessage(e.message) };
}

/** The marker the problems panel shows: a dot for errors, a triangle for warnings, an "i" for infos. */
export function severityMarker(severity: Severity): string {
  return severity === "error" ? "●" : severity === "warning" ? "▲" : "i";
}

export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function severityCounts(list: readonly Diagnostic[]): SeverityCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of list) {
    if (d.severity === "error") counts.errors++;
    else if (d.severity === "info") counts.infos++;
    else counts.warnings++;
  }
  return counts;
}

/** The most serious severity in a list, for the problems badge; infos alone stay calm. */
export function problemsLevel(list: readonly Diagnostic[]): Severity | "ok" {
  const { errors, warnings, infos } = severityCounts(list);
  return errors ? "error" : warnings ? "warning" : infos ? "info" : "ok";
}

/** `1 error, 2 warnings, 3 notes`; empty when there is nothing. Infos are called notes. */
export function countsText(counts: SeverityCounts): string {
  const part = (n: number, word: string) => (n ? `${n} ${word}${n === 1 ? "" : "s"}` : "");
  return [part(counts.errors, "error"), part(counts.warnings, "warning"), part(counts.infos, "note")]
    .filter(Boolean)
    .join(", ");
}
