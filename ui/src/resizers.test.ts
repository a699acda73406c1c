import { describe, expect, it } from "vitest";
import { paneWidth } from "./resizers";

describe("paneWidth", () => {
  const area = { left: 0, right: 1600, width: 1600 };

  it("follows the pointer with the template list, between its bounds", () => {
    expect(paneWidth("sidebar", 250, area)).toBe(250);
    expect(paneWidth("sidebar", 100, area)).toBe(180);
    expect(paneWidth("sidebar", 900, area)).toBe(420);
    expect(paneWidth("sidebar", 250, { ...area, left: 50 })).toBe(200);
  });

  it("sizes the preview from the right edge and leaves the rest its room", () => {
    expect(paneWidth("preview", 1000, area)).toBe(600);
    expect(paneWidth("preview", 1500, area)).toBe(340);
    expect(paneWidth("preview", 0, area)).toBe(1080);
    // A window too narrow for both bounds keeps the room of the rest.
    expect(paneWidth("preview", 0, { left: 0, right: 800, width: 800 })).toBe(280);
  });
});
