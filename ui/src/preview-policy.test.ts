import { describe, expect, it } from "vitest";
import {
  FAST_RENDER_MS,
  MAX_PREVIEW_DELAY_MS,
  previewDelay,
  previewKey,
  scrollAt,
  scrollRatio,
} from "./preview-policy";

describe("previewDelay", () => {
  it("renders at once before anything is measured and after a fast render", () => {
    expect(previewDelay(null)).toBe(0);
    expect(previewDelay(4)).toBe(0);
    expect(previewDelay(FAST_RENDER_MS)).toBe(0);
    expect(previewDelay(Number.NaN)).toBe(0);
  });

  it("waits about one and a half slow renders, never more than the cap", () => {
    expect(previewDelay(40)).toBe(60);
    expect(previewDelay(60)).toBe(90);
    expect(previewDelay(500)).toBe(MAX_PREVIEW_DELAY_MS);
    expect(previewDelay(60, 30)).toBe(90);
  });

  it("renders at once a keystroke that follows a pause longer than the wait", () => {
    expect(previewDelay(60, 90)).toBe(0);
    expect(previewDelay(500, 2000)).toBe(0);
    expect(previewDelay(500, 99)).toBe(MAX_PREVIEW_DELAY_MS);
  });
});

describe("previewKey", () => {
  const a = { path: "a/template.mjml", text: "<mjml/>" };
  const b = { path: "partials/footer.mjml", text: "<mj-text/>" };

  it("is the same for the same template, data set and buffers in any order", () => {
    expect(previewKey("a", "default", [a, b])).toBe(previewKey("a", "default", [b, a]));
  });

  it("changes with the template, the data set or any text", () => {
    const base = previewKey("a", "default", [a]);
    expect(previewKey("b", "default", [a])).not.toBe(base);
    expect(previewKey("a", "es", [a])).not.toBe(base);
    expect(previewKey("a", null, [a])).not.toBe(base);
    expect(previewKey("a", "default", [{ ...a, text: "<mjml />" }])).not.toBe(base);
    expect(previewKey("a", "default", [])).not.toBe(base);
  });
});

describe("scroll mapping", () => {
  it("maps a position to a fraction and back, in proportion", () => {
    expect(scrollRatio(0, 3000, 1000)).toBe(0);
    expect(scrollRatio(1000, 3000, 1000)).toBe(0.5);
    expect(scrollRatio(5000, 3000, 1000)).toBe(1);
    expect(scrollRatio(100, 800, 1000)).toBe(0);
    expect(scrollAt(0.5, 5000, 1000)).toBe(2000);
    expect(scrollAt(2, 5000, 1000)).toBe(4000);
    expect(scrollAt(0.5, 500, 1000)).toBe(0);
  });
});
