import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BufferStore } from "./buffers";
import type { FileText } from "./types";
import { restoredNote, UnsavedEdits } from "./unsaved";

const file = (text: string): FileText => ({ text, hash: `h(${text})` });

/** A shell that keeps the journal and the files in memory. */
function shell(files: Record<string, string> = {}) {
  const state = { journal: null as string | null, writes: 0, unsaved: [] as boolean[] };
  return {
    state,
    readFile: async (path: string) => {
      if (!(path in files)) throw new Error("not found");
      return file(files[path]);
    },
    readJournal: async () => state.journal,
    writeJournal: async (text: string | null) => {
      state.writes++;
      state.journal = text;
    },
    setUnsaved: async (unsaved: boolean) => {
      state.unsaved.push(unsaved);
    },
  };
}

function unsavedEdits(backend: ReturnType<typeof shell>) {
  const buffers = new BufferStore();
  const forgotten: string[] = [];
  const edits = new UnsavedEdits(backend, { buffers: () => buffers, forget: (path) => forgotten.push(path) });
  return { buffers, forgotten, edits };
}

/** The journal of an open project, and one file typed in and reported as edited. */
function typedIn() {
  const backend = shell();
  const { buffers, edits } = unsavedEdits(backend);
  edits.open();
  buffers.open("a/template.mjml", file("one"));
  buffers.edit("a/template.mjml", "two");
  edits.edited();
  return { backend, buffers, edits };
}

describe("UnsavedEdits", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("writes the journal once, a moment after a burst of typing", async () => {
    const { backend, buffers, edits } = typedIn();
    buffers.edit("a/template.mjml", "three");
    edits.edited();
    await vi.advanceTimersByTimeAsync(399);
    expect(backend.state.writes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.state.writes).toBe(1);
    expect(JSON.parse(backend.state.journal!)).toEqual([
      { path: "a/template.mjml", text: "three", baseHash: "h(one)" },
    ]);
  });

  it("writes at once when told to, and tells the shell whether edits are unsaved", async () => {
    const { backend, edits } = typedIn();
    edits.persist();
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.state.writes).toBe(1);
    expect(backend.state.unsaved).toEqual([true]);
    // The write a moment later was the same one, and is not made again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(backend.state.writes).toBe(1);
    await edits.discard();
    expect(backend.state.journal).toBeNull();
  });

  it("tells the shell no edits are unsaved once the file is back to what is on disk", async () => {
    const { backend, buffers, edits } = typedIn();
    buffers.edit("a/template.mjml", "one");
    edits.persist();
    await vi.advanceTimersByTimeAsync(0);
    expect(backend.state.unsaved).toEqual([false]);
    expect(backend.state.journal).toBeNull();
  });

  it("writes nothing while no project's journal is open", async () => {
    const backend = shell();
    const { buffers, edits } = unsavedEdits(backend);
    buffers.open("a/template.mjml", file("one"));
    buffers.edit("a/template.mjml", "two");
    edits.persist();
    edits.open();
    edits.close();
    edits.write();
    await edits.discard();
    expect(backend.state.writes).toBe(0);
    expect(await edits.restore()).toBeNull();
  });

  it("puts the edits back against the files as they are now", async () => {
    const backend = shell({ "a/template.mjml": "one", "b/template.mjml": "changed", "c/template.mjml": "same" });
    backend.state.journal = JSON.stringify([
      { path: "a/template.mjml", text: "mine", baseHash: "h(one)" },
      { path: "b/template.mjml", text: "mine", baseHash: "h(before)" },
      { path: "c/template.mjml", text: "same", baseHash: "h(same)" },
      { path: "gone/template.mjml", text: "mine", baseHash: "h(one)" },
    ]);
    const { buffers, forgotten, edits } = unsavedEdits(backend);
    edits.open();
    expect(await edits.restore()).toEqual({ restored: 1, conflicts: 1 });
    expect(buffers.get("a/template.mjml")!.text).toBe("mine");
    expect(buffers.conflicts().map((b) => b.path)).toEqual(["b/template.mjml"]);
    expect(forgotten).toEqual(["a/template.mjml", "b/template.mjml", "c/template.mjml"]);
  });

  it("answers null when the journal holds no edits", async () => {
    const { edits } = unsavedEdits(shell());
    edits.open();
    expect(await edits.restore()).toBeNull();
  });
});

describe("restoredNote", () => {
  it("counts the files and warns about those that changed on disk since", () => {
    expect(restoredNote({ restored: 0, conflicts: 0 })).toBeNull();
    expect(restoredNote({ restored: 1, conflicts: 0 })).toEqual({
      text: "Restored unsaved changes to 1 file from your last session.",
      level: "info",
    });
    expect(restoredNote({ restored: 1, conflicts: 2 })).toEqual({
      text: "Restored unsaved changes to 3 files from your last session; 2 changed on disk since, so choose what to keep.",
      level: "warning",
    });
  });
});
