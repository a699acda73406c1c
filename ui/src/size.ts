// Message size: Gmail clips the HTML part of a message above about 102 KB and hides the rest
// behind a "View entire message" link.

export const GMAIL_CLIP_BYTES = 102 * 1024;
/** Above 80 % of the limit the size is worth a gentle warning, as the core's `message-size` check gives. */
export const GMAIL_WARN_BYTES = GMAIL_CLIP_BYTES * 0.8;

export type SizeLevel = "ok" | "near" | "clipped";

export function sizeLevel(bytes: number): SizeLevel {
  if (bytes > GMAIL_CLIP_BYTES) return "clipped";
  if (bytes > GMAIL_WARN_BYTES) return "near";
  return "ok";
}

/** `812 B`, `14.2 KB`, `1.4 MB`, in the 1024-based units Gmail's limit is given in. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The UTF-8 length of a string, which is what goes over the wire. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
