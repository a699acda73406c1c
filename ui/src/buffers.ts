// Open files and their unsaved edits. The folder is the source of truth: each buffer remembers the
// content hash it was loaded from, so a change made elsewhere is either taken in silently (no
// unsaved edits) or raised as a conflict (unsaved edits), and typed work is never overwritten.

import type { FileText } from "./types";

export type FileKind = "mjml" | "subject" | "text" | "data" | "css" | "html" | "other";

export function fileKind(path: string): FileKind {
  const name = path.split("/").pop() ?? path;
  if (name.endsWith(".mjml")) return "mjml";
  if (name === "subject.hbs") return "subject";
  if (name.endsWith(".hbs")) return "text";
  if (name.endsWith(".json")) return "data";
  if (name.endsWith(".css")) return "css";
  if (name.endsWith(".html") || name.endsWith(".htm")) return "html";
  return "other";
}

export type Conflict = { kind: "changed"; theirsText: string; theirsHash: string } | { kind: "deleted" };

export interface FileBuffer {
  path: string;
  kind: FileKind;
  /** What the editor holds now. */
  text: string;
  /** What was last read from or written to disk. */
  diskText: string;
  /** The hash of `diskText` on disk; null for a file that does not exist on disk. */
  diskHash: string | null;
  conflict: Conflict | null;
}

/** What happened to an open buffer after its file changed on disk. */
export type DiskReaction =
  /** Nothing to do: the buffer already holds this content, or the file is not open. */
  | "none"
  /** The buffer had no unsaved edits and now holds the new content. */
  | "reloaded"
  /** The buffer had no unsaved edits and its file is gone; it was closed. */
  | "closed"
  /** The buffer has unsaved edits; the person must choose. */
  | "conflict";

export class BufferStore {
  private buffers = new Map<string, FileBuffer>();

  get(path: string): FileBuffer | undefined {
    return this.buffers.get(path);
  }

  all(): FileBuffer[] {
    return [...this.buffers.values()];
  }

  isDirty(path: string): boolean {
    const b = this.buffers.get(path);
    return !!b && (b.text !== b.diskText || b.diskHash === null);
  }

  /** Buffers whose text differs from disk, in path order. */
  dirty(): FileBuffer[] {
    return this.all()
      .filter((b) => this.isDirty(b.path))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  conflicts(): FileBuffer[] {
    return this.all().filter((b) => b.conflict);
  }

  /** Registers a file read from disk; an already open buffer is left as it is. */
  open(path: string, file: FileText): FileBuffer {
    const existing = this.buffers.get(path);
    if (existing) return existing;
    const buffer: FileBuffer = {
      path,
      kind: fileKind(path),
      text: file.text,
      diskText: file.text,
      diskHash: file.hash,
      conflict: null,
    };
    this.buffers.set(path, buffer);
    return buffer;
  }

  edit(path: string, text: string): void {
    const b = this.buffers.get(path);
    if (b) b.text = text;
  }

  /** Records a successful save of `text`. */
  saved(path: string, text: string, hash: string): void {
    const b = this.buffers.get(path);
    if (!b) return;
    b.diskText = text;
    b.diskHash = hash;
    b.conflict = null;
  }

  close(path: string): void {
    this.buffers.delete(path);
  }

  /** Closes every buffer under `prefix/` (a deleted template) or equal to it. */
  closeUnder(prefix: string): void {
    for (const path of [...this.buffers.keys()]) {
      if (path === prefix || path.startsWith(`${prefix}/`)) this.buffers.delete(path);
    }
  }

  /** Moves buffers after a rename of a template folder or a file. */
  move(from: string, to: string): void {
    for (const [path, b] of [...this.buffers.entries()]) {
      if (path === from || path.startsWith(`${from}/`)) {
        const moved = to + path.slice(from.length);
        this.buffers.delete(path);
        this.buffers.set(moved, { ...b, path: moved, kind: fileKind(moved) });
      }
    }
  }

  /**
   * Takes in a change made on disk by someone else: `disk` is the new content, or null when the
   * file was removed.
   */
  diskChanged(path: string, disk: FileText | null): DiskReaction {
    const b = this.buffers.get(path);
    if (!b) return "none";
    if (disk && disk.hash === b.diskHash) return "none";
    if (disk && disk.text === b.text) {
      // Someone else saved exactly what is typed here: nothing is lost either way.
      b.diskText = disk.text;
      b.diskHash = disk.hash;
      b.conflict = null;
      return "none";
    }
    if (!this.isDirty(path)) {
      if (!disk) {
        this.buffers.delete(path);
        return "closed";
      }
      b.text = disk.text;
      b.diskText = disk.text;
      b.diskHash = disk.hash;
      b.conflict = null;
      return "reloaded";
    }
    b.conflict = disk ? { kind: "changed", theirsText: disk.text, theirsHash: disk.hash } : { kind: "deleted" };
    return "conflict";
  }

  /**
   * Brings back edits from an earlier session. `disk` is what the file holds now. Answers whether
   * the edits apply cleanly, conflict with a change made since, or are already on disk.
   */
  restore(path: string, disk: FileText, text: string, baseHash: string | null): "restored" | "conflict" | "none" {
    const b = this.open(path, disk);
    if (disk.text === text) return "none";
    b.text = text;
    if (baseHash !== null && disk.hash !== baseHash) {
      b.conflict = { kind: "changed", theirsText: disk.text, theirsHash: disk.hash };
      return "conflict";
    }
    return "restored";
  }

  /**
   * Resolves a conflict in favour of the typed text. Answers the hash to save against: what is on
   * disk now, or null when the file is gone. The caller saves and then calls `saved`.
   */
  keepMine(path: string): string | null {
    const b = this.buffers.get(path);
    if (!b?.conflict) return b?.diskHash ?? null;
    const base = b.conflict.kind === "changed" ? b.conflict.theirsHash : null;
    if (b.conflict.kind === "changed") b.diskText = b.conflict.theirsText;
    b.diskHash = base;
    b.conflict = null;
    return base;
  }

  /** Resolves a conflict by dropping the typed text for what is on disk. */
  takeTheirs(path: string): "reloaded" | "closed" {
    const b = this.buffers.get(path);
    if (!b?.conflict) return "reloaded";
    if (b.conflict.kind === "deleted") {
      this.buffers.delete(path);
      return "closed";
    }
    b.text = b.conflict.theirsText;
    b.diskText = b.conflict.theirsText;
    b.diskHash = b.conflict.theirsHash;
    b.conflict = null;
    return "reloaded";
  }
}
