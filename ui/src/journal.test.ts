import { describe, expect, it } from "vitest";
import { UnsavedJournal, type JournalStore } from "./journal";

class MemoryStore implements JournalStore {
  text: string | null = null;
  writes = 0;
  async read() {
    return this.text;
  }
  async write(text: string | null) {
    this.writes++;
    this.text = text;
  }
}

describe("UnsavedJournal", () => {
  it("keeps unsaved edits, writes only changes, and forgets them once saved", async () => {
    const store = new MemoryStore();
    const journal = new UnsavedJournal(store);
    const entries = [{ path: "welcome/template.mjml", text: "typed", baseHash: "h1" }];
    await journal.write(entries);
    await journal.write(entries);
    expect(store.writes).toBe(1);
    expect(await new UnsavedJournal(store).read()).toEqual(entries);
    await journal.write([]);
    expect(store.text).toBeNull();
  });

  it("ignores damaged entries", async () => {
    const store = new MemoryStore();
    store.text = '[{"path":1},{"path":"x","text":"t","baseHash":null}]';
    expect(await new UnsavedJournal(store).read()).toEqual([{ path: "x", text: "t", baseHash: null }]);
    store.text = "not json";
    expect(await new UnsavedJournal(store).read()).toEqual([]);
  });
});
