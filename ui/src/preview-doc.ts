// The document shown in the preview frame. The email is untrusted: the frame is sandboxed without
// scripts, and the document gets its own policy forbidding scripts and forms as a second wall.
// Colour modes are emulated by rewriting the email's media queries or by a filter.

export type ColorMode = "light" | "dark" | "inverted";

/** The policy every previewed document carries, on top of the app's own. */
export const FRAME_CSP =
  "default-src 'none'; script-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'; " +
  "img-src data: blob: https: http:; style-src 'unsafe-inline' https:; font-src data: https:; media-src data: https:";

// Media features that are always and never true in an email viewport, used to pin the colour scheme.
const ALWAYS = "(min-width: 0px)";
const NEVER = "(max-width: 0px)";

/** Pins `prefers-color-scheme` in the email's CSS to `scheme`, whatever the system uses. */
export function pinColorScheme(html: string, scheme: "light" | "dark"): string {
  return html.replace(/\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)/gi, (_m, which: string) =>
    which.toLowerCase() === scheme ? ALWAYS : NEVER,
  );
}

/** Whether the email says it supports a dark colour scheme (`<meta name="color-scheme" …dark…>`). */
export function declaresDarkSupport(html: string): boolean {
  const metas = html.match(/<meta\b[^>]*>/gi) ?? [];
  return metas.some(
    (m) => /name\s*=\s*["']?(supported-)?color-scheme/i.test(m) && /content\s*=\s*["'][^"']*dark/i.test(m),
  );
}

const INVERT_CSS =
  "html{filter:invert(1) hue-rotate(180deg);background:#ffffff}" +
  // Clients that invert leave photos alone: invert them back.
  "img,picture,video,[background],[style*='background-image'],[style*='background:url'],[style*='background: url']{filter:invert(1) hue-rotate(180deg)}";

/** Inserts `extra` at the start of the head, creating one when the document has none. */
function intoHead(html: string, extra: string): string {
  const head = /<head\b[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + extra + html.slice(head.index + head[0].length);
  const root = /<html\b[^>]*>/i.exec(html);
  if (root)
    return `${html.slice(0, root.index + root[0].length)}<head>${extra}</head>${html.slice(root.index + root[0].length)}`;
  return `<head>${extra}</head>${html}`;
}

/** Appends `extra` at the end of the head, so its rules come after the email's own. */
function endOfHead(html: string, extra: string): string {
  const close = /<\/head\s*>/i.exec(html);
  if (close) return html.slice(0, close.index) + extra + html.slice(close.index);
  return intoHead(html, extra);
}

/** The full document for the preview frame. */
export function frameDocument(html: string, mode: ColorMode): string {
  // Links open nowhere: `_blank` needs popups, which the sandbox does not allow.
  const guard = `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank">`;
  let doc = pinColorScheme(html, mode === "dark" ? "dark" : "light");
  doc = intoHead(doc, guard);
  if (mode === "dark" && declaresDarkSupport(html)) doc = endOfHead(doc, "<style>:root{color-scheme:dark}</style>");
  if (mode === "inverted") doc = endOfHead(doc, `<style>${INVERT_CSS}</style>`);
  return doc;
}

/** The background the "client" shows around the email in each mode. */
export function clientBackground(mode: ColorMode): string {
  return mode === "dark" ? "#1c1c1e" : "#ffffff";
}
