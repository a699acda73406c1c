import { describe, expect, it } from "vitest";
import { BufferStore, fileKind } from "./buffers";

const file = (text: string) => ({ text, hash: `h(${text})` });

describe("BufferStore", () => {
  it("knows the kind of each project file", () => {
    expect(fileKind("welcome/template.mjml")).toBe("mjml");
    expect(fileKind("partials/header.mjml")).toBe("mjml");
    expect(fileKind("welcome/subject.hbs")).toBe("subject");
    expect(fileKind("welcome/text.hbs")).toBe("text");
    expect(fileKind("welcome/data/es.json")).toBe("data");
  });

  it("takes in changes made elsewhere while the buffer is clean", () => {
    const store = new BufferStore();
    store.open("a.mjml", file("one"));
    expect(store.diskChanged("a.mjml", file("two"))).toBe("reloaded");
    expect(store.get("a.mjml")!.text).toBe("two");
    expect(store.isDirty("a.mjml")).toBe(false);
    // The same content again, e.g. the event for the app's own save, changes nothing.
    expect(store.diskChanged("a.mjml", file("two"))).toBe("none");
  });

  it("raises a conflict instead of dropping typed work", () => {
    const store = new BufferStore();
    store.open("a.mjml", file("one"));
    store.edit("a.mjml", "mine");
    expect(store.dirty().map((b) => b.path)).toEqual(["a.mjml"]);
    expect(store.diskChanged("a.mjml", file("theirs"))).toBe("conflict");
    expect(store.get("a.mjml")!.text).toBe("mine");
    expect(store.conflicts()).toHaveLength(1);

    // Keeping mine saves against what is on disk now.
    expect(store.keepMine("a.mjml")).toBe("h(theirs)");
    store.saved("a.mjml", "mine", "h(mine)");
    expect(store.conflicts()).toHaveLength(0);
    expect(store.isDirty("a.mjml")).toBe(false);
  });

  it("takes theirs on request", () => {
    const store = new BufferStore();
    store.open("a.mjml", file("one"));
    store.edit("a.mjml", "mine");
    store.diskChanged("a.mjml", file("theirs"));
    expect(store.takeTheirs("a.mjml")).toBe("reloaded");
    expect(store.get("a.mjml")!.text).toBe("theirs");
    expect(store.isDirty("a.mjml")).toBe(false);
  });

  it("is no conflict when disk now holds exactly what was typed", () => {
    const store = new BufferStore();
    store.open("a.mjml", file("one"));
    store.edit("a.mjml", "same");
    expect(store.diskChanged("a.mjml", file("same"))).toBe("none");
    expect(store.isDirty("a.mjml")).toBe(false);
  });

  it("closes clean buffers of deleted files and keeps dirty ones as conflicts", () => {
    const store = new BufferStore();
    store.open("a.mjml", file("one"));
    store.open("b.mjml", file("one"));
    store.edit("b.mjml", "typed");
    expect(store.diskChanged("a.mjml", null)).toBe("closed");
    expect(store.get("a.mjml")).toBeUndefined();
    expect(store.diskChanged("b.mjml", null)).toBe("conflict");
    // Keeping mine writes the file back as a new file.
    expect(store.keepMine("b.mjml")).toBeNull();
    expect(store.isDirty("b.mjml")).toBe(true);
  });

  it("moves and closes buffers with their template", () => {
    const store = new BufferStore();
    store.open("welcome/template.mjml", file("x"));
    store.open("welcome/data/es.json", file("{}"));
    store.open("welcome-2/template.mjml", file("y"));
    store.move("welcome", "greeting");
    expect(
      store
        .all()
        .map((b) => b.path)
        .sort(),
    ).toEqual(["greeting/data/es.json", "greeting/template.mjml", "welcome-2/template.mjml"]);
    store.closeUnder("greeting");
    expect(store.all().map((b) => b.path)).toEqual(["welcome-2/template.mjml"]);
  });
});

describe("restoring unsaved edits from an earlier session", () => {
  it("applies them when the file is unchanged, and raises a conflict when it changed since", () => {
    const store = new BufferStore();
    expect(store.restore("a.mjml", file("one"), "typed", "h(one)")).toBe("restored");
    expect(store.isDirty("a.mjml")).toBe(true);
    expect(store.conflicts()).toHaveLength(0);
    expect(store.restore("b.mjml", file("theirs"), "typed", "h(one)")).toBe("conflict");
    expect(store.get("b.mjml")!.text).toBe("typed");
    expect(store.conflicts().map((b) => b.path)).toEqual(["b.mjml"]);
    expect(store.restore("c.mjml", file("same"), "same", "h(old)")).toBe("none");
    expect(store.isDirty("c.mjml")).toBe(false);
  });
});
