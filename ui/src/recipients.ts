// Recipients as people type them: several addresses in one field, separated by commas,
// semicolons or new lines, with or without a display name; and the addresses the send dialog
// remembers per project.

import type { SendMemory, TargetChoice } from "./mail-types";

/** How many earlier addresses are offered as suggestions. */
export const RECENT_LIMIT = 12;

/** Splits a field into entries at commas, semicolons and line breaks that are not inside a
 * quoted display name or angle brackets. */
export function splitRecipients(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (const char of text) {
    if (char === '"' && !angle) quoted = !quoted;
    else if (char === "<" && !quoted) angle = true;
    else if (char === ">" && !quoted) angle = false;
    if (!quoted && !angle && (char === "," || char === ";" || char === "\n" || char === "\r")) {
      out.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  out.push(current);
  return out.map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}

const ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+$/;

/** The bare address of `Name <address>` or of a bare address. */
export function addressOf(entry: string): string {
  const match = /<([^<>]*)>\s*$/.exec(entry);
  return (match ? match[1] : entry).trim();
}

/** Why an entry is not an address, in words, or null when it is one. */
export function recipientProblem(entry: string): string | null {
  const address = addressOf(entry);
  if (!address) return `“${entry}” has no address between < and >`;
  if (!address.includes("@")) return `“${address}” is missing an @`;
  if (!ADDRESS.test(address)) return `“${address}” is not an email address`;
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (domain.startsWith(".") || domain.endsWith(".") || domain.includes(".."))
    return `“${address}” has an incomplete domain`;
  return null;
}

export interface ParsedRecipients {
  /** The valid entries, as typed, without repeats of the same address. */
  recipients: string[];
  problems: string[];
}

/** Reads a recipients field: valid entries, once each, and what is wrong with the others. */
export function parseRecipients(text: string): ParsedRecipients {
  const recipients: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of splitRecipients(text)) {
    const problem = recipientProblem(entry);
    if (problem) {
      problems.push(problem);
      continue;
    }
    const key = addressOf(entry).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(entry);
  }
  return { recipients, problems };
}

/** The memory after a send to `used` through `target`: those recipients for next time, and
 * every address used, most recent first, without repeats. */
export function remember(memory: SendMemory, used: readonly string[], target: TargetChoice): SendMemory {
  const recent: string[] = [];
  const seen = new Set<string>();
  for (const entry of [...used, ...memory.recent]) {
    const key = addressOf(entry).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recent.push(entry);
  }
  return { recipients: [...used], recent: recent.slice(0, RECENT_LIMIT), target };
}

/** Earlier addresses not already in the field, for one-click adding. */
export function suggestions(memory: SendMemory, current: readonly string[], limit = 6): string[] {
  const taken = new Set(current.map((entry) => addressOf(entry).toLowerCase()));
  return memory.recent.filter((entry) => !taken.has(addressOf(entry).toLowerCase())).slice(0, limit);
}

/** Adds `entry` to the text of a recipients field, keeping what is there. */
export function appendRecipient(text: string, entry: string): string {
  const kept = text.trim().replace(/[,;]\s*$/, "");
  return kept ? `${kept}, ${entry}` : entry;
}

/** The same target, compared by what it points at. */
export function sameTarget(a: TargetChoice | null, b: TargetChoice | null): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind) return false;
  return a.kind === "outbox" || (b.kind === "profile" && a.name === b.name);
}

/** A stable string for a target, for `<select>` values. */
export function targetKey(target: TargetChoice): string {
  return target.kind === "outbox" ? "outbox" : `profile:${target.name}`;
}

export function targetFromKey(key: string): TargetChoice {
  return key.startsWith("profile:") ? { kind: "profile", name: key.slice("profile:".length) } : { kind: "outbox" };
}
