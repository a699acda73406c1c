// The settings kept across launches, in the window's storage under names that start with
// "letterpress.": the preview's options and the app's theme, which live in the state, and the
// widths of the panes, which live on the page.

import type { Store } from "./store";
import { SAVED_SETTINGS, type WorkspaceState } from "./workspace-state";

/** Where the settings are kept: the window's storage, or another in the tests. */
export type SettingsStorage = Pick<Storage, "getItem" | "setItem">;

/** The element whose style holds the widths of the panes. */
export interface PaneHost {
  style: Pick<CSSStyleDeclaration, "getPropertyValue" | "setProperty">;
}

export class Settings {
  constructor(private readonly storage: SettingsStorage = localStorage) {}

  /** The value saved under `key`, or null when none ever was. */
  get(key: string): string | null {
    return this.storage.getItem(`letterpress.${key}`);
  }

  set(key: string, value: string): void {
    this.storage.setItem(`letterpress.${key}`, value);
  }

  /** Saves each setting of the state whenever it changes. */
  follow(store: Store<WorkspaceState>): void {
    for (const [field, key] of Object.entries(SAVED_SETTINGS)) {
      store.subscribe([field as keyof WorkspaceState], (state) =>
        this.set(key, String(state[field as keyof typeof SAVED_SETTINGS])),
      );
    }
  }

  /** Gives the panes the widths they had when last saved. */
  restoreWidths(host: PaneHost): void {
    const sidebar = this.get("sidebarWidth");
    const preview = this.get("previewWidth");
    if (sidebar) host.style.setProperty("--sidebar-width", sidebar);
    if (preview) host.style.setProperty("--preview-width", preview);
  }

  /** Saves the widths the panes have now. */
  saveWidths(host: PaneHost): void {
    this.set("sidebarWidth", host.style.getPropertyValue("--sidebar-width") || "");
    this.set("previewWidth", host.style.getPropertyValue("--preview-width") || "");
  }
}
