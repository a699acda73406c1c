import { describe, expect, it } from "vitest";
import { UnsavedJournal, type KeyValueStore } from "./journal";

class MemoryStore implements KeyValueStore {
  map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

describe("UnsavedJournal", () => {
  it("keeps unsaved edits per project and forgets them once saved", () => {
    const storage = new MemoryStore();
    const a = new UnsavedJournal(storage, "/projects/a");
    const b = new UnsavedJournal(storage, "/projects/b");
    a.write([{ path: "welcome/template.mjml", text: "typed", baseHash: "h1" }]);
    expect(new UnsavedJournal(storage, "/projects/a").read()).toEqual([{ path: "welcome/template.mjml", text: "typed", baseHash: "h1" }]);
    expect(b.read()).toEqual([]);
    a.write([]);
    expect(storage.map.size).toBe(0);
  });

  it("ignores damaged entries", () => {
    const storage = new MemoryStore();
    storage.setItem("letterpress.unsaved:/p", '[{"path":1},{"path":"x","text":"t","baseHash":null}]');
    expect(new UnsavedJournal(storage, "/p").read()).toEqual([{ path: "x", text: "t", baseHash: null }]);
    storage.setItem("letterpress.unsaved:/p", "not json");
    expect(new UnsavedJournal(storage, "/p").read()).toEqual([]);
  });
});
