// Unsaved edits survive a crash or a forced quit: every buffer with unsaved edits is written to
// the app's data folder as it changes, and offered back when the project opens again.

/** Where the journal of the open project lives; the shell keeps it in a file. */
export interface JournalStore {
  read(): Promise<string | null>;
  write(text: string | null): Promise<void>;
}

export interface JournalEntry {
  path: string;
  text: string;
  /** The hash of the file on disk the edits were made against; null for a file never saved. */
  baseHash: string | null;
}

export class UnsavedJournal {
  private last: string | null = null;

  constructor(private readonly store: JournalStore) {}

  async write(entries: readonly JournalEntry[]): Promise<void> {
    const text = entries.length ? JSON.stringify(entries) : null;
    // Typing calls this often; only a change is worth a write.
    if (text === this.last) return;
    this.last = text;
    try {
      await this.store.write(text);
    } catch {
      // The edits are still in the editor; only the safety net failed. Try again next time.
      this.last = "\u0000";
    }
  }

  async read(): Promise<JournalEntry[]> {
    try {
      const raw = await this.store.read();
      this.last = raw;
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e): e is JournalEntry =>
          !!e &&
          typeof e.path === "string" &&
          typeof e.text === "string" &&
          (typeof e.baseHash === "string" || e.baseHash === null),
      );
    } catch {
      return [];
    }
  }
}
