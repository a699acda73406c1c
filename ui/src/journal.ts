// Unsaved edits survive a crash or a forced quit: every buffer with unsaved edits is written to
// local storage as it changes, and offered back when the project opens again.

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface JournalEntry {
  path: string;
  text: string;
  /** The hash of the file on disk the edits were made against; null for a file never saved. */
  baseHash: string | null;
}

export class UnsavedJournal {
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStore,
    projectRoot: string,
  ) {
    this.key = `letterpress.unsaved:${projectRoot}`;
  }

  write(entries: readonly JournalEntry[]): void {
    try {
      if (entries.length) this.storage.setItem(this.key, JSON.stringify(entries));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full or unavailable: the edits are still in the editor, only the safety net is gone.
    }
  }

  read(): JournalEntry[] {
    try {
      const raw = this.storage.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e): e is JournalEntry =>
          !!e && typeof e.path === "string" && typeof e.text === "string" && (typeof e.baseHash === "string" || e.baseHash === null),
      );
    } catch {
      return [];
    }
  }
}
