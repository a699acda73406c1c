import { describe, expect, it } from "vitest";
import { drawnDark, nextTheme, themeSign } from "./theme";

describe("theme", () => {
  it("goes round system, light and dark", () => {
    expect(nextTheme("system")).toBe("light");
    expect(nextTheme("light")).toBe("dark");
    expect(nextTheme("dark")).toBe("system");
  });

  it("draws the page dark when chosen, or when the system's theme is and the system is dark", () => {
    let asked = 0;
    const system = (dark: boolean) => () => {
      asked++;
      return dark;
    };
    expect(drawnDark("dark", system(false))).toBe(true);
    expect(drawnDark("light", system(true))).toBe(false);
    expect(asked).toBe(0);
    expect(drawnDark("system", system(true))).toBe(true);
    expect(drawnDark("system", system(false))).toBe(false);
  });

  it("shows a sign for each theme", () => {
    expect(new Set((["system", "light", "dark"] as const).map(themeSign)).size).toBe(3);
  });
});
