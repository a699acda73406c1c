// The unsaved edits of the open project and its journal (see `journal.ts`): the journal is written
// a moment after typing starts and at once when the set of unsaved files changes, its edits are put
// back when the project opens again, and it is emptied when the person drops the edits. The shell
// is told whether any are left, so that closing the window asks first.

import type { Backend } from "./backend";
import type { BufferStore } from "./buffers";
import { UnsavedJournal } from "./journal";

/** Typing writes the journal this long after the first keystroke since the last write. */
const WRITE_AFTER_EDIT_MS = 400;

export interface UnsavedEditsHooks {
  /** The open files of the project. */
  buffers(): BufferStore;
  /** Drops the editor state of a file whose edits were put back, so that it is made again. */
  forget(path: string): void;
}

/** How many files got their edits back, and how many of those changed on disk since. */
export interface Restored {
  restored: number;
  conflicts: number;
}

export class UnsavedEdits {
  private journal: UnsavedJournal | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly backend: Pick<Backend, "readFile" | "readJournal" | "writeJournal" | "setUnsaved">,
    private readonly hooks: UnsavedEditsHooks,
  ) {}

  /** The journal of the project is done with: another one opens. */
  close(): void {
    this.journal = null;
  }

  /** Takes up the journal of the project that opened; it is read before it is written. */
  open(): void {
    this.journal = new UnsavedJournal({
      read: () => this.backend.readJournal(),
      write: (text) => this.backend.writeJournal(text),
    });
  }

  /** Puts the edits of an earlier session that ended without saving them back into their buffers,
   * each against what its file holds now. Answers null when there were none. */
  async restore(): Promise<Restored | null> {
    const entries = (await this.journal?.read()) ?? [];
    if (!entries.length) return null;
    let restored = 0;
    let conflicts = 0;
    for (const entry of entries) {
      const disk = await this.backend.readFile(entry.path).catch(() => null);
      if (!disk) continue;
      const result = this.hooks.buffers().restore(entry.path, disk, entry.text, entry.baseHash);
      this.hooks.forget(entry.path);
      if (result === "restored") restored++;
      if (result === "conflict") conflicts++;
    }
    return { restored, conflicts };
  }

  /** After an edit: one write a moment later serves the whole burst of typing. */
  edited(): void {
    if (!this.timer) this.timer = setTimeout(() => this.write(), WRITE_AFTER_EDIT_MS);
  }

  /** Writes the unsaved buffers to the journal now. */
  write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const dirty = this.hooks.buffers().dirty();
    void this.journal?.write(dirty.map((b) => ({ path: b.path, text: b.text, baseHash: b.diskHash })));
  }

  /** Writes the unsaved buffers to the journal and tells the shell whether there are any. */
  persist(): void {
    this.write();
    void this.backend.setUnsaved(this.hooks.buffers().dirty().length > 0).catch(() => undefined);
  }

  /** Empties the journal: the person chose to drop the unsaved edits. */
  async discard(): Promise<void> {
    await this.journal?.write([]);
  }
}

/** What to tell the person after edits were put back, or null when no file got any. */
export function restoredNote({ restored, conflicts }: Restored): { text: string; level: "info" | "warning" } | null {
  const files = restored + conflicts;
  if (!files) return null;
  return {
    text: `Restored unsaved changes to ${files} file${files > 1 ? "s" : ""} from your last session${conflicts ? `; ${conflicts} changed on disk since, so choose what to keep` : ""}.`,
    level: conflicts ? "warning" : "info",
  };
}
