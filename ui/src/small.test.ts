import { describe, expect, it } from "vitest";
import { fuzzyFilter } from "./fuzzy";
import { copyName, isValidName, nameProblem, slugify, typedName } from "./names";
import { formatBytes, sizeLevel, utf8Length } from "./size";
import { BackendError } from "./types";

describe("names", () => {
  it("follows the core's rule", () => {
    for (const good of ["a", "password-reset", "es", "long-values", "v2"]) expect(isValidName(good)).toBe(true);
    for (const bad of ["", "A", "a--b", "-a", "a-", "a_b", "a b", "é", "../x", "a".repeat(65)])
      expect(isValidName(bad)).toBe(false);
  });

  it("explains refusals and suggests names", () => {
    expect(nameProblem("welcome", ["welcome"])).toBe("“welcome” already exists.");
    expect(nameProblem("Bad", [])).toMatch(/lowercase/);
    expect(nameProblem("fine", ["welcome"])).toBeNull();
    expect(slugify("Order Shipped! Ñandú")).toBe("order-shipped-nandu");
    expect(copyName("welcome", ["welcome", "welcome-copy"])).toBe("welcome-copy-2");
  });

  it("forgives spaces and capitals as they are typed, and nothing else", () => {
    const typed = [
      ["Order", "order"],
      ["order ", "order-"],
      ["order s", "order-s"],
      ["Order_Shipped", "order-shipped"],
      ["order-shipped", "order-shipped"],
      ["order_shipped", "order_shipped"],
      [" ", " "],
      ["", ""],
    ];
    for (const [text, name] of typed) expect(typedName(text), text).toBe(name);
  });
});

describe("size", () => {
  it("warns before Gmail clips and says when it will", () => {
    expect(sizeLevel(50 * 1024)).toBe("ok");
    expect(sizeLevel(90 * 1024)).toBe("near");
    expect(sizeLevel(102 * 1024 + 1)).toBe("clipped");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(14540)).toBe("14.2 KB");
    expect(utf8Length("€")).toBe(3);
  });
});

describe("quick open matching", () => {
  it("ranks word starts first", () => {
    const names = ["shipping-notice", "password-reset", "purchase-receipt", "app-error"];
    const ranked = fuzzyFilter("pr", names, (n) => n).map((m) => m.item);
    expect(ranked.slice(0, 2).sort()).toEqual(["password-reset", "purchase-receipt"]);
    expect(fuzzyFilter("zz", names, (n) => n)).toEqual([]);
  });
});

describe("errors from the shell", () => {
  it("keep their code", () => {
    const e = BackendError.from({ code: "conflict", message: "`a` changed on disk" });
    expect(e.code).toBe("conflict");
    expect(BackendError.from(new Error("boom")).code).toBe("internal");
  });
});
