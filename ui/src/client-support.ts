// Client support and message sizes as the inbox view shows them: clients sorted by score, the
// features each client lacks, and the size of every data set. Pure functions, tested on their own;
// `client-support-view.ts` draws them.

import { GMAIL_CLIP_BYTES, formatBytes, sizeLevel, type SizeLevel } from "./size";
import type { ClientRow, ClientSupport, DataSetSize, Place, SupportProblem } from "./types";

/** How well a client does: from here up a score is good, and from `FAIR` up it is fair. */
export const GOOD_SCORE = 90;
export const FAIR_SCORE = 70;

export type ScoreLevel = "good" | "fair" | "poor";

export function scoreLevel(score: number): ScoreLevel {
  if (score >= GOOD_SCORE) return "good";
  if (score >= FAIR_SCORE) return "fair";
  return "poor";
}

/** `caniemail 1.0.4, data of 2025-06-01`: the day of the data's last update, without its time. */
export function supportHeader(support: ClientSupport): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(support.updated)?.[0] ?? support.updated;
  return `caniemail ${support.caniemail}, data of ${day}`;
}

/** What one client makes of one feature. */
export type Mark = "none" | "partial" | "full";

export interface Cell {
  mark: Mark;
  /** caniemail's note on a partial support, if it has one. */
  note: string | null;
}

export function cell(problem: SupportProblem, client: string): Cell {
  if (problem.unsupported.includes(client)) return { mark: "none", note: null };
  const partial = problem.partial.find((p) => p.client === client);
  if (partial) return { mark: "partial", note: partial.note };
  return { mark: "full", note: null };
}

/** The symbol a cell shows: ✕ for not supported, ◐ for partly supported, nothing otherwise. */
export function markSymbol(mark: Mark): string {
  return mark === "none" ? "✕" : mark === "partial" ? "◐" : "";
}

export interface ClientLine extends ClientRow {
  level: ScoreLevel;
  /** How many of the listed features this client lacks, and supports only partly. */
  lacks: number;
  partly: number;
}

/** The clients, lowest score first (the ones to worry about), then by name. */
export function clientLines(
  support: ClientSupport,
  problems: readonly SupportProblem[] = support.problems,
): ClientLine[] {
  return support.clients
    .map((c) => ({
      ...c,
      level: scoreLevel(c.score),
      lacks: problems.filter((p) => p.unsupported.includes(c.id)).length,
      partly: problems.filter((p) => p.partial.some((x) => x.client === c.id)).length,
    }))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
}

/** Features the template's own files write, and those only MJML's generated markup uses. */
export function splitProblems(support: ClientSupport): { own: SupportProblem[]; generated: SupportProblem[] } {
  return {
    own: support.problems.filter((p) => p.in_source),
    generated: support.problems.filter((p) => !p.in_source),
  };
}

export interface ClientMark {
  id: string;
  name: string;
  mark: Exclude<Mark, "full">;
  note: string | null;
}

/** The clients that lack a feature, then those that support it partly, in the clients' order. */
export function problemMarks(problem: SupportProblem, clients: readonly ClientRow[]): ClientMark[] {
  const name = (id: string) => clients.find((c) => c.id === id)?.name ?? id;
  const order = (id: string) => {
    const i = clients.findIndex((c) => c.id === id);
    return i < 0 ? clients.length : i;
  };
  const none = [...problem.unsupported]
    .sort((a, b) => order(a) - order(b))
    .map((id): ClientMark => ({ id, name: name(id), mark: "none", note: null }));
  const partial = [...problem.partial]
    .sort((a, b) => order(a.client) - order(b.client))
    .map((p): ClientMark => ({ id: p.client, name: name(p.client), mark: "partial", note: p.note }));
  return [...none, ...partial];
}

/** Where clicking a feature leads: the place the template writes it first. */
export function firstPlace(problem: SupportProblem): Place | null {
  return problem.places[0] ?? null;
}

/** `partials/head.mjml:6`, or just the file when the place is the whole file. */
export function placeLabel(place: Place): string {
  return place.start.line > 0 ? `${place.file}:${place.start.line}` : place.file;
}

/** `used 3 times`, for a feature's detail line. */
export function usesText(uses: number): string {
  return uses === 1 ? "used once" : `used ${uses} times`;
}

/** A web address without its scheme and trailing slash, for reading. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, "").replace(/\/$/, "");
}

export interface SizeEntry {
  /** The data set's name, or `no data` for a template without data sets. */
  label: string;
  /** `21.4 KB`, or `does not compile`. */
  text: string;
  bytes: number | null;
  level: SizeLevel | "failed";
  title: string;
}

/** The size of each data set's final HTML, with Gmail's clipping as the measure. */
export function sizeEntries(sizes: readonly DataSetSize[]): SizeEntry[] {
  return sizes.map((s) => {
    const label = s.dataSet ?? "no data";
    if (s.htmlBytes === null) {
      return {
        label,
        text: "does not compile",
        bytes: null,
        level: "failed",
        title: "The template has errors, so there is no HTML to measure",
      };
    }
    const level = sizeLevel(s.htmlBytes);
    const share = Math.round((s.htmlBytes / GMAIL_CLIP_BYTES) * 100);
    const title =
      level === "clipped"
        ? `Gmail clips messages above ${formatBytes(GMAIL_CLIP_BYTES)}`
        : `${share} % of the ${formatBytes(GMAIL_CLIP_BYTES)} above which Gmail clips messages`;
    return { label, text: formatBytes(s.htmlBytes), bytes: s.htmlBytes, level, title };
  });
}

/** `default 21.4 KB · es 22.0 KB`, the sizes on one line. */
export function sizesLine(entries: readonly SizeEntry[]): string {
  return entries.map((e) => `${e.label} ${e.text}`).join(" · ");
}
