import { describe, expect, it } from "vitest";
import {
  cell,
  clientLines,
  firstPlace,
  markSymbol,
  placeLabel,
  problemMarks,
  scoreLevel,
  shortUrl,
  sizeEntries,
  sizesLine,
  splitProblems,
  supportHeader,
  usesText,
} from "./client-support";
import type { ClientSupport, SupportProblem } from "./types";

const place = (file: string, line: number) => ({ file, start: { line, column: 3 }, end: { line, column: 40 } });

const radius: SupportProblem = {
  slug: "css-border-radius",
  title: "border-radius",
  url: "https://www.caniemail.com/features/css-border-radius/",
  written: "border-radius",
  unsupported: ["outlook-windows", "windows-mail"],
  partial: [{ client: "yahoo", note: "Not supported on images." }],
  uses: 4,
  in_source: true,
  places: [place("partials/head.mjml", 6), place("welcome/template.mjml", 12)],
};

const generated: SupportProblem = {
  slug: "css-display-none",
  title: "display:none",
  url: "https://www.caniemail.com/features/css-display/",
  written: "display",
  unsupported: [],
  partial: [{ client: "outlook-windows", note: null }],
  uses: 1,
  in_source: false,
  places: [],
};

const support: ClientSupport = {
  caniemail: "1.0.4",
  updated: "2025-06-01",
  clients: [
    { id: "gmail", name: "Gmail", score: 96 },
    { id: "yahoo", name: "Yahoo! Mail", score: 88 },
    { id: "windows-mail", name: "Windows Mail", score: 62 },
    { id: "outlook-windows", name: "Outlook (Windows)", score: 62 },
  ],
  problems: [radius, generated],
};

describe("client support", () => {
  it("names its data", () => {
    expect(supportHeader(support)).toBe("caniemail 1.0.4, data of 2025-06-01");
    expect(supportHeader({ ...support, updated: "2026-05-13 14:45:41 +0000" })).toBe(
      "caniemail 1.0.4, data of 2026-05-13",
    );
  });

  it("sorts clients lowest score first, ties by name, and counts what each lacks", () => {
    const lines = clientLines(support);
    expect(lines.map((c) => c.id)).toEqual(["outlook-windows", "windows-mail", "yahoo", "gmail"]);
    expect(lines[0]).toMatchObject({ score: 62, level: "poor", lacks: 1, partly: 1 });
    expect(lines[2]).toMatchObject({ level: "fair", lacks: 0, partly: 1 });
    expect(lines[3]).toMatchObject({ level: "good", lacks: 0, partly: 0 });
    // Only the features the designer wrote, when asked.
    expect(clientLines(support, [radius])[0]).toMatchObject({ lacks: 1, partly: 0 });
  });

  it("grades scores", () => {
    expect(scoreLevel(100)).toBe("good");
    expect(scoreLevel(90)).toBe("good");
    expect(scoreLevel(89)).toBe("fair");
    expect(scoreLevel(70)).toBe("fair");
    expect(scoreLevel(69)).toBe("poor");
  });

  it("keeps what MJML generates apart from what the template writes", () => {
    const { own, generated: added } = splitProblems(support);
    expect(own.map((p) => p.slug)).toEqual(["css-border-radius"]);
    expect(added.map((p) => p.slug)).toEqual(["css-display-none"]);
  });

  it("marks each client's support of a feature, with caniemail's note", () => {
    expect(cell(radius, "outlook-windows")).toEqual({ mark: "none", note: null });
    expect(cell(radius, "yahoo")).toEqual({ mark: "partial", note: "Not supported on images." });
    expect(cell(radius, "gmail")).toEqual({ mark: "full", note: null });
    expect(["none", "partial", "full"].map((m) => markSymbol(m as "none"))).toEqual(["✕", "◐", ""]);
  });

  it("lists the clients lacking a feature before those supporting it partly, in the clients' order", () => {
    const marks = problemMarks(radius, clientLines(support));
    expect(marks.map((m) => [m.name, m.mark])).toEqual([
      ["Outlook (Windows)", "none"],
      ["Windows Mail", "none"],
      ["Yahoo! Mail", "partial"],
    ]);
    expect(marks[2].note).toBe("Not supported on images.");
    expect(problemMarks({ ...radius, unsupported: ["unknown"] }, support.clients)[0].name).toBe("unknown");
  });

  it("leads to where the template writes a feature first", () => {
    expect(firstPlace(radius)).toEqual(place("partials/head.mjml", 6));
    expect(firstPlace(generated)).toBeNull();
    expect(placeLabel(place("partials/head.mjml", 6))).toBe("partials/head.mjml:6");
    expect(placeLabel(place("welcome/template.mjml", 0))).toBe("welcome/template.mjml");
  });

  it("reads short", () => {
    expect(shortUrl(radius.url)).toBe("www.caniemail.com/features/css-border-radius");
    expect(usesText(1)).toBe("used once");
    expect(usesText(4)).toBe("used 4 times");
  });
});

describe("sizes per data set", () => {
  it("grades each data set against Gmail's 102 KB, warning above 80 %", () => {
    const entries = sizeEntries([
      { dataSet: "default", htmlBytes: 21_914 },
      { dataSet: "es", htmlBytes: Math.floor(102 * 1024 * 0.8) + 1 },
      { dataSet: "huge", htmlBytes: 102 * 1024 + 1 },
      { dataSet: "broken", htmlBytes: null },
      { dataSet: null, htmlBytes: 812 },
    ]);
    expect(entries.map((e) => e.level)).toEqual(["ok", "near", "clipped", "failed", "ok"]);
    expect(entries[0]).toMatchObject({ label: "default", text: "21.4 KB", bytes: 21_914 });
    expect(entries[0].title).toBe("21 % of the 102.0 KB above which Gmail clips messages");
    expect(entries[2].title).toBe("Gmail clips messages above 102.0 KB");
    expect(entries[3].text).toBe("does not compile");
    expect(entries[4].label).toBe("no data");
    expect(sizesLine(entries.slice(0, 1).concat(entries[4]))).toBe("default 21.4 KB · no data 812 B");
  });

  it("does not warn at exactly 80 % of the limit", () => {
    expect(sizeEntries([{ dataSet: "a", htmlBytes: Math.floor(102 * 1024 * 0.8) }])[0].level).toBe("ok");
  });
});
