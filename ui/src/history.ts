// The send history as people read it: filters turned into queries, outcomes in words, times
// relative to now, and per-template statistics.

import type { HistoryItem, HistoryQuery, SendReport, SendStatus, SendTarget, TemplateStats } from "./mail-types";

export interface HistoryFilters {
  search: string;
  /** A template name, or null for every template. */
  template: string | null;
  status: SendStatus | "all";
}

export const EMPTY_FILTERS: HistoryFilters = { search: "", template: null, status: "all" };

export const STATUS_LABELS: Record<SendStatus, string> = {
  pending: "Sending",
  sent: "Sent",
  failed: "Failed",
  interrupted: "Interrupted",
};

/** The query the shell runs for a set of filters. */
export function toQuery(filters: HistoryFilters, limit = 200): HistoryQuery {
  const search = filters.search.trim();
  return {
    search: search ? search : null,
    template: filters.template,
    status: filters.status === "all" ? null : filters.status,
    limit,
  };
}

/** Whether any filter narrows the list, to choose between "nothing sent yet" and "nothing matches". */
export function isFiltered(filters: HistoryFilters): boolean {
  return filters.search.trim() !== "" || filters.template !== null || filters.status !== "all";
}

/** `template · data set`. */
export function whatLabel(item: { template: string; dataSet: string | null }): string {
  return item.dataSet ? `${item.template} · ${item.dataSet}` : item.template;
}

/** The target as people think of it: "Local outbox", the profile's name, or the server. */
export function targetLabel(target: SendTarget): string {
  switch (target.kind) {
    case "outbox":
      return "Local outbox";
    case "profile":
      return target.name;
    case "url":
      return target.url;
  }
}

/** The target in full, for a tooltip: the profile's server too. */
export function targetDetail(target: SendTarget): string {
  return target.kind === "profile" ? `${target.name} (${target.url})` : targetLabel(target);
}

/** What happened to a send, in a line. */
export function outcomeText(
  item: Pick<HistoryItem, "status" | "reply" | "error" | "failureHeadline" | "target">,
): string {
  switch (item.status) {
    case "pending":
      return "Waiting for the server";
    case "interrupted":
      return "The app closed before the outcome was known";
    case "sent":
      if (item.reply) return `${item.reply.code} ${item.reply.text}`.trim();
      return item.target.kind === "outbox" ? "Stored in the local outbox" : "Sent";
    case "failed":
      // The headline the send's report showed, worded by the mail crate and stored with the row;
      // sends recorded before headlines were kept show the server's reply or the stored error.
      if (item.failureHeadline) return item.failureHeadline;
      if (item.reply) return `${item.reply.code} ${item.reply.text}`.trim();
      return capitalize(item.error ?? "Failed");
  }
}

/** A send's report in one sentence, for the send dialog and toasts. */
export function reportText(report: SendReport): string {
  const where = targetLabel(report.target);
  if (report.ok) {
    const reply = report.reply ? ` — ${report.reply.code} ${report.reply.text}`.trimEnd() : "";
    return `Sent to ${report.recipients.join(", ")} via ${where} in ${formatDuration(report.durationMs)}${reply}`;
  }
  return report.failure?.headline ?? "Sending failed";
}

/** An error chain as a sentence: its first letter in capitals, names without backticks. */
function capitalize(error: string): string {
  const text = error.trim().replace(/`/g, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/** "just now", "5 min ago", "3 h ago", "yesterday 14:05", "12 Mar 14:05", "12 Mar 2025". */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return "";
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  const ago = now.getTime() - then.getTime();
  if (ago < 0) return `${then.getDate()} ${MONTHS[then.getMonth()]} ${two(then.getHours())}:${two(then.getMinutes())}`;
  if (ago < MINUTE) return "just now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  const clock = `${two(then.getHours())}:${two(then.getMinutes())}`;
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  if (then.getTime() >= startOfToday) return ago < 6 * HOUR ? `${Math.floor(ago / HOUR)} h ago` : `today ${clock}`;
  if (then.getTime() >= startOfToday - DAY) return `yesterday ${clock}`;
  if (then.getFullYear() === now.getFullYear()) return `${then.getDate()} ${MONTHS[then.getMonth()]} ${clock}`;
  return `${then.getDate()} ${MONTHS[then.getMonth()]} ${then.getFullYear()}`;
}

/** The full local time, for tooltips: `2026-05-28 22:26:40`. */
export function exactTime(iso: string | null): string {
  if (!iso) return "";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Statistics sorted for reading: the templates of the open project first, busiest first. */
export function sortStats(stats: readonly TemplateStats[], projectTemplates: readonly string[]): TemplateStats[] {
  const inProject = new Set(projectTemplates);
  return [...stats].sort(
    (a, b) =>
      Number(inProject.has(b.template)) - Number(inProject.has(a.template)) ||
      b.sent + b.failed - (a.sent + a.failed) ||
      a.template.localeCompare(b.template),
  );
}

/** "12 sent, 1 failed" for a template's statistics. */
export function statsText(stats: TemplateStats | undefined): string {
  if (!stats || stats.sent + stats.failed === 0) return "Never sent";
  const parts = [`${stats.sent} sent`];
  if (stats.failed) parts.push(`${stats.failed} failed`);
  return parts.join(", ");
}

/** The templates a filter menu offers: those of the project and any others in the history. */
export function templateChoices(stats: readonly TemplateStats[], projectTemplates: readonly string[]): string[] {
  const names = new Set([...projectTemplates, ...stats.map((s) => s.template)]);
  return [...names].sort((a, b) => a.localeCompare(b));
}
