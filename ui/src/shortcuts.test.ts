import { describe, expect, it } from "vitest";
import { shortcutOf } from "./shortcuts";

const press = (key: string, mods: { shift?: boolean; meta?: boolean; ctrl?: boolean } = {}) => ({
  key,
  shiftKey: mods.shift ?? false,
  metaKey: mods.meta ?? false,
  ctrlKey: mods.ctrl ?? false,
});

describe("shortcutOf", () => {
  it("takes Ctrl elsewhere and Command on a Mac", () => {
    expect(shortcutOf(press("s", { ctrl: true }), false)).toBe("save");
    expect(shortcutOf(press("s", { meta: true }), false)).toBeNull();
    expect(shortcutOf(press("s", { meta: true }), true)).toBe("save");
    expect(shortcutOf(press("s", { ctrl: true }), true)).toBeNull();
    expect(shortcutOf(press("s"), false)).toBeNull();
  });

  it("knows each shortcut, with Shift only where it belongs and in either case", () => {
    const ctrl = (key: string, shift = false) => shortcutOf(press(key, { ctrl: true, shift }), false);
    expect(ctrl("P")).toBe("quickOpen");
    expect(ctrl("o")).toBe("openOther");
    expect(ctrl("D", true)).toBe("switchDataSet");
    expect(ctrl("d")).toBeNull();
    expect(ctrl("s", true)).toBeNull();
    expect(ctrl("p", true)).toBeNull();
    expect(ctrl("o", true)).toBeNull();
    expect(ctrl("x")).toBeNull();
  });
});
