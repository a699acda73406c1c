// The app's own theme: light, dark, or the system's, chosen with a button in the top bar that goes
// round the three. The page is drawn light or dark from it.

import { el } from "./dialogs";
import type { Store } from "./store";
import type { Theme, WorkspaceState } from "./workspace-state";

/** The theme a click on the button chooses after `theme`. */
export function nextTheme(theme: Theme): Theme {
  return theme === "system" ? "light" : theme === "light" ? "dark" : "system";
}

/** Whether the page is drawn dark; `systemDark` is asked only when the theme is the system's. */
export function drawnDark(theme: Theme, systemDark: () => boolean): boolean {
  return theme === "dark" || (theme === "system" && systemDark());
}

/** The sign the button shows for `theme`. */
export function themeSign(theme: Theme): string {
  return theme === "light" ? "☀" : theme === "dark" ? "☾" : "◐";
}

/** The top bar's theme button, which also draws the page in the theme chosen. */
export class ThemeToggle {
  readonly element = el("button", {
    class: "icon-button",
    "data-testid": "theme-toggle",
    title: "App theme: system, light or dark",
    "aria-label": "App theme",
  });

  constructor(private readonly store: Store<WorkspaceState>) {
    this.element.addEventListener("click", () => this.store.update({ theme: nextTheme(this.store.state.theme) }));
    store.subscribe(["theme"], () => {
      this.apply();
      this.render();
    });
    this.render();
    this.apply();
  }

  private apply(): void {
    const dark = drawnDark(this.store.state.theme, () => window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  }

  private render(): void {
    const theme = this.store.state.theme;
    this.element.textContent = themeSign(theme);
    this.element.title = `App theme: ${theme} (click to change)`;
    this.element.dataset.theme = theme;
  }
}
