import { describe, expect, it } from "vitest";
import { arrowKeys, nextSelection, optionAttributes } from "./listbox";

describe("nextSelection", () => {
  const keys = ["a", "b", "c"];

  it("moves down and up one row", () => {
    expect(nextSelection(keys, "a", 1)).toBe("b");
    expect(nextSelection(keys, "c", -1)).toBe("b");
    expect(nextSelection([10, 20, 30], 20, 1)).toBe(30);
  });

  it("stays on the first and the last row", () => {
    expect(nextSelection(keys, "a", -1)).toBe("a");
    expect(nextSelection(keys, "c", 1)).toBe("c");
    expect(nextSelection(["a"], "a", 1)).toBe("a");
  });

  it("starts at the first row when nothing listed is selected", () => {
    expect(nextSelection(keys, null, 1)).toBe("a");
    expect(nextSelection(keys, null, -1)).toBe("a");
    expect(nextSelection(keys, "gone", 1)).toBe("a");
  });

  it("selects nothing in an empty list", () => {
    expect(nextSelection([], null, 1)).toBeNull();
    expect(nextSelection([], "a", -1)).toBeNull();
  });
});

describe("optionAttributes", () => {
  it("puts the selected row, and only it, in Tab order", () => {
    expect(optionAttributes(2, 2, 1)).toEqual({ role: "option", tabindex: "0", "aria-selected": "true" });
    expect(optionAttributes(1, 2, 1)).toEqual({ role: "option", tabindex: "-1", "aria-selected": "false" });
  });

  it("puts the first row in Tab order while none is selected", () => {
    expect(optionAttributes("a", null, "a")).toEqual({ role: "option", tabindex: "0", "aria-selected": "false" });
    expect(optionAttributes("b", null, "a")).toEqual({ role: "option", tabindex: "-1", "aria-selected": "false" });
  });
});

describe("arrowKeys", () => {
  /** A list that only takes listeners, and a key pressed on it; whether its default was prevented. */
  const setUp = (keys: string[], selected: string | null) => {
    const list = new EventTarget();
    const chosen: string[] = [];
    arrowKeys(
      list as unknown as HTMLElement,
      () => keys,
      () => selected,
      (key) => chosen.push(key),
    );
    const press = (key: string) => {
      const event = Object.assign(new Event("keydown", { cancelable: true }), { key });
      list.dispatchEvent(event);
      return event.defaultPrevented;
    };
    return { chosen, press };
  };

  it("selects the next and the previous row and keeps the arrows from scrolling", () => {
    const { chosen, press } = setUp(["a", "b", "c"], "b");
    expect(press("ArrowDown")).toBe(true);
    expect(press("ArrowUp")).toBe(true);
    expect(chosen).toEqual(["c", "a"]);
  });

  it("leaves other keys alone, and selects nothing in an empty list", () => {
    const { chosen, press } = setUp(["a", "b"], "a");
    expect(press("Enter")).toBe(false);
    expect(press("j")).toBe(false);
    expect(chosen).toEqual([]);
    const empty = setUp([], null);
    expect(empty.press("ArrowDown")).toBe(true);
    expect(empty.chosen).toEqual([]);
  });
});
