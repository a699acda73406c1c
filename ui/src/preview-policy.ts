// When to rebuild the preview, and whether it needs rebuilding at all.

/** The longest the preview waits for typing to pause. */
export const MAX_PREVIEW_DELAY_MS = 100;
/** A render this fast starts at once: waiting would only add to the latency. */
export const FAST_RENDER_MS = 20;

/**
 * How long to wait after a keystroke, from how long the last preview took to build and paint and
 * how long ago the keystroke before it was: at once after a fast render or after a pause in typing
 * (nothing is gained by waiting for the next keystroke then); during a burst of typing after a slow
 * render, about one and a half renders, so that a render does not start for every keystroke, and
 * never more than `MAX_PREVIEW_DELAY_MS`. Only one render is ever in flight; edits made meanwhile
 * are rendered right after it, together.
 */
export function previewDelay(lastWorkMs: number | null, sincePreviousEditMs = 0): number {
  if (lastWorkMs === null || !Number.isFinite(lastWorkMs) || lastWorkMs <= FAST_RENDER_MS) return 0;
  const wait = Math.min(MAX_PREVIEW_DELAY_MS, Math.max(0, Math.round(lastWorkMs * 1.5)));
  return sincePreviousEditMs >= wait ? 0 : wait;
}

/** Everything a preview depends on; the same key twice means the second render can be skipped. */
export function previewKey(
  template: string,
  dataSet: string | null,
  buffers: readonly { path: string; text: string }[],
): string {
  const parts = [template, dataSet ?? ""];
  for (const b of [...buffers].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)))
    parts.push(b.path, String(b.text.length), b.text);
  return parts.join("\u0000");
}

/** A scroll position as a fraction of how far it can go, 0 when there is nothing to scroll. */
export function scrollRatio(top: number, scrollHeight: number, viewport: number): number {
  const room = scrollHeight - viewport;
  return room > 0 ? Math.min(1, Math.max(0, top / room)) : 0;
}

/** The scroll position at `ratio` of a view `scrollHeight` tall showing `viewport`. */
export function scrollAt(ratio: number, scrollHeight: number, viewport: number): number {
  return Math.round(Math.max(0, scrollHeight - viewport) * Math.min(1, Math.max(0, ratio)));
}
