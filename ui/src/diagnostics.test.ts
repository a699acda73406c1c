import { Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import {
  columnOffset,
  countsText,
  diagnosticRange,
  errorText,
  humanMessage,
  location,
  problemsLevel,
  severityCounts,
  severityMarker,
  sortDiagnostics,
} from "./diagnostics";
import { BackendError, type Diagnostic } from "./types";

const diag = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: "error",
  code: "mjml-syntax",
  file: "welcome/template.mjml",
  start: { line: 1, column: 1 },
  end: { line: 1, column: 1 },
  message: "x",
  ...over,
});

describe("diagnostic positions", () => {
  it("counts columns in code points, not UTF-16 units", () => {
    expect(columnOffset("a😀b", 3)).toBe(3);
    expect(columnOffset("abc", 1)).toBe(0);
    expect(columnOffset("abc", 9)).toBe(3);
  });

  it("maps a span to editor offsets", () => {
    const doc = Text.of(["<mjml>", "  <mj-bogus>", "</mjml>"]);
    const range = diagnosticRange(doc, diag({ start: { line: 2, column: 3 }, end: { line: 2, column: 13 } }));
    expect(doc.sliceString(range.from, range.to)).toBe("<mj-bogus>");
  });

  it("widens a point to the word it sits on, and a file-level problem to the first line", () => {
    const doc = Text.of(["<mjml>", '  <mj-text colr="red">']);
    const point = diagnosticRange(doc, diag({ start: { line: 2, column: 12 }, end: { line: 2, column: 12 } }));
    expect(doc.sliceString(point.from, point.to)).toBe("colr");
    const whole = diagnosticRange(doc, diag({ start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }));
    expect(doc.sliceString(whole.from, whole.to)).toBe("<mjml>");
    const beyond = diagnosticRange(doc, diag({ start: { line: 9, column: 1 }, end: { line: 9, column: 1 } }));
    expect(beyond.from).toBeGreaterThanOrEqual(doc.line(2).from);
  });

  it("lists errors first, then by file and line", () => {
    const sorted = sortDiagnostics([
      diag({ severity: "warning", file: "a", start: { line: 1, column: 1 } }),
      diag({ file: "b", start: { line: 9, column: 1 } }),
      diag({ file: "b", start: { line: 2, column: 1 } }),
    ]);
    expect(sorted.map(location)).toEqual(["b:2:1", "b:9:1", "a:1:1"]);
  });

  it("lists infos after warnings", () => {
    const sorted = sortDiagnostics([
      diag({ severity: "info", file: "a", start: { line: 1, column: 1 } }),
      diag({ severity: "warning", file: "c", start: { line: 5, column: 1 } }),
      diag({ file: "d", start: { line: 3, column: 1 } }),
    ]);
    expect(sorted.map((d) => d.severity)).toEqual(["error", "warning", "info"]);
  });

  it("counts infos apart, and infos alone never raise the badge above info", () => {
    const list = [diag({ severity: "info" }), diag({ severity: "info", code: "link-text" })];
    expect(severityCounts(list)).toEqual({ errors: 0, warnings: 0, infos: 2 });
    expect(problemsLevel(list)).toBe("info");
    expect(problemsLevel([...list, diag({ severity: "warning" })])).toBe("warning");
    expect(problemsLevel([...list, diag({ severity: "warning" }), diag({})])).toBe("error");
    expect(problemsLevel([])).toBe("ok");
    expect(countsText({ errors: 1, warnings: 2, infos: 1 })).toBe("1 error, 2 warnings, 1 note");
    expect(countsText({ errors: 0, warnings: 0, infos: 3 })).toBe("3 notes");
    expect(countsText({ errors: 0, warnings: 0, infos: 0 })).toBe("");
    expect(severityMarker("info")).toBe("i");
    expect(severityMarker("warning")).toBe("▲");
  });

  it("reads naturally", () => {
    expect(humanMessage("variable `name` is missing")).toBe("Variable “name” is missing");
  });
});

describe("errors from the shell", () => {
  it("keeps the code and words the message as the app shows it", () => {
    expect(errorText({ code: "conflict", message: "`a.mjml` changed on disk" })).toEqual({
      code: "conflict",
      message: "“a.mjml” changed on disk",
    });
    expect(errorText(new BackendError("not-found", "no such file"))).toEqual({
      code: "not-found",
      message: "No such file",
    });
  });
});
