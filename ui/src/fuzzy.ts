// Matching for quick open: the typed letters must appear in order; matches at word starts and in a
// row rank higher, so `pr` finds `password-reset` and `purchase-receipt` before `shipping-notice`.

export interface Match<T> {
  item: T;
  score: number;
  /** Indices of the matched characters, for highlighting. */
  positions: number[];
}

export function fuzzyScore(query: string, text: string): { score: number; positions: number[] } | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  const t = text.toLowerCase();
  if (!q) return { score: 0, positions: [] };
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const c of q) {
    const at = t.indexOf(c, from);
    if (at === -1) return null;
    const wordStart = at === 0 || /[-_/ .]/.test(t[at - 1]);
    score += 1 + (wordStart ? 8 : 0) + (at === previous + 1 ? 5 : 0) - Math.min(at - from, 6) * 0.2;
    positions.push(at);
    previous = at;
    from = at + 1;
  }
  // Shorter names win ties: `receipt` before `receipt-long-values`.
  score -= t.length * 0.01;
  return { score, positions };
}

export function fuzzyFilter<T>(query: string, items: readonly T[], key: (item: T) => string): Match<T>[] {
  const out: Match<T>[] = [];
  for (const item of items) {
    const m = fuzzyScore(query, key(item));
    if (m) out.push({ item, ...m });
  }
  return out.sort((a, b) => b.score - a.score);
}
