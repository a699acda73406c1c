import { describe, expect, it } from "vitest";
import { sameValue, Store } from "./store";

interface Counter {
  count: number;
  label: string;
  items: string[];
}

const initial = (): Counter => ({ count: 0, label: "a", items: [] });

describe("Store", () => {
  it("applies a patch and keeps the other fields", () => {
    const store = new Store(initial());
    store.update({ count: 2 });
    expect(store.state).toEqual({ count: 2, label: "a", items: [] });
  });

  it("tells only the subscribers to a changed field, once per update", () => {
    const store = new Store(initial());
    const calls: string[] = [];
    store.subscribe(["count"], (s, changed) => calls.push(`count ${s.count} ${[...changed].join(",")}`));
    store.subscribe(["label"], (s) => calls.push(`label ${s.label}`));
    store.subscribe(["count", "label"], () => calls.push("both"));
    store.update({ count: 1, label: "b" });
    store.update({ count: 2 });
    expect(calls).toEqual(["count 1 count,label", "label b", "both", "count 2 count", "both"]);
  });

  it("tells no one when nothing changes, arrays compared by their values", () => {
    const store = new Store({ ...initial(), items: ["x", "y"] });
    let calls = 0;
    store.subscribe(["count", "items"], () => calls++);
    store.update({ count: 0, items: ["x", "y"] });
    expect(calls).toBe(0);
    store.update({ items: ["x"] });
    expect(calls).toBe(1);
    expect(store.state.items).toEqual(["x"]);
  });

  it("does not change the state object a subscriber was given", () => {
    const store = new Store(initial());
    const seen: Readonly<Counter>[] = [];
    store.subscribe(["count"], (s) => seen.push(s));
    store.update({ count: 1 });
    store.update({ count: 2 });
    expect(seen.map((s) => s.count)).toEqual([1, 2]);
  });

  it("lets a subscriber update the state; later subscribers see the newer state", () => {
    const store = new Store(initial());
    const labels: string[] = [];
    store.subscribe(["count"], (s) => store.update({ label: `n${s.count}` }));
    store.subscribe(["count"], (s) => labels.push(s.label));
    store.update({ count: 3 });
    expect(labels).toEqual(["n3"]);
  });

  it("stops telling a subscriber that unsubscribed, even within the same update", () => {
    const store = new Store(initial());
    let calls = 0;
    let off = () => {};
    store.subscribe(["count"], () => off());
    off = store.subscribe(["count"], () => calls++);
    store.update({ count: 1 });
    store.update({ count: 2 });
    expect(calls).toBe(0);
  });
});

describe("sameValue", () => {
  it("compares values, and arrays element by element", () => {
    expect(sameValue(1, 1)).toBe(true);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue({}, {})).toBe(false);
    expect(sameValue(["a"], ["a"])).toBe(true);
    expect(sameValue(["a"], ["a", "b"])).toBe(false);
    expect(sameValue([{ path: "a", kind: "deleted" }], [{ path: "a", kind: "deleted" }])).toBe(true);
    expect(sameValue([{ path: "a", kind: "deleted" }], [{ path: "a", kind: "changed" }])).toBe(false);
    expect(sameValue([{ path: "a" }], [{ path: "a", kind: "changed" }])).toBe(false);
    expect(sameValue([new Date(0)], [new Date(0)])).toBe(false);
    expect(sameValue(null, [])).toBe(false);
  });
});
