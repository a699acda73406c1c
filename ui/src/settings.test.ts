import { describe, expect, it } from "vitest";
import { type PaneHost, Settings, type SettingsStorage } from "./settings";
import { Store } from "./store";
import { initialState } from "./workspace-state";

/** A storage in memory, like the window's. */
function memoryStorage(): SettingsStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

/** An element's style that keeps only custom properties. */
function paneHost(): PaneHost & { properties: Map<string, string> } {
  const properties = new Map<string, string>();
  return {
    properties,
    style: {
      getPropertyValue: (name) => properties.get(name) ?? "",
      setProperty: (name, value) => void properties.set(name, value ?? ""),
    },
  };
}

describe("Settings", () => {
  it("keeps each value under the app's own name", () => {
    const storage = memoryStorage();
    const settings = new Settings(storage);
    expect(settings.get("theme")).toBeNull();
    settings.set("theme", "dark");
    expect(storage.items.get("letterpress.theme")).toBe("dark");
    expect(new Settings(storage).get("theme")).toBe("dark");
  });

  it("saves the settings of the state as they change, and only those", () => {
    const storage = memoryStorage();
    const settings = new Settings(storage);
    const store = new Store(initialState((key) => settings.get(key)));
    settings.follow(store);
    store.update({ theme: "light", compareMode: "data", customWidth: 600, template: "welcome" });
    expect(Object.fromEntries(storage.items)).toEqual({
      "letterpress.theme": "light",
      "letterpress.compare": "data",
      "letterpress.customWidth": "600",
    });
    const again = new Store(initialState((key) => settings.get(key))).state;
    expect([again.theme, again.compareMode, again.customWidth]).toEqual(["light", "data", 600]);
  });

  it("saves the widths of the panes and gives them back on the next launch", () => {
    const storage = memoryStorage();
    const host = paneHost();
    new Settings(storage).restoreWidths(host);
    expect(host.properties.size).toBe(0);
    host.style.setProperty("--sidebar-width", "300px");
    new Settings(storage).saveWidths(host);
    expect(storage.items.get("letterpress.sidebarWidth")).toBe("300px");
    expect(storage.items.get("letterpress.previewWidth")).toBe("");
    const next = paneHost();
    new Settings(storage).restoreWidths(next);
    expect(Object.fromEntries(next.properties)).toEqual({ "--sidebar-width": "300px" });
  });
});
