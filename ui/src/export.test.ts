import { describe, expect, it } from "vitest";
import {
  applyLabel,
  counts,
  exportWarnings,
  folderLabel,
  formatSize,
  groupFiles,
  noted,
  planSummary,
  progressText,
  skipped,
} from "./export";
import type { PlanFile, PlanTemplate } from "./mail-types";
import type { Code } from "./types";

const file = (path: string, change: PlanFile["change"], bytes = 10): PlanFile => ({
  path,
  change,
  bytes,
  template: path.split("/")[0],
});

describe("export plans", () => {
  it("sum up what will change", () => {
    const files = [
      file("a/content.html", "created"),
      file("a/meta.json", "created"),
      file("b/content.html", "updated"),
      file("c/content.html", "unchanged"),
    ];
    expect(counts({ files })).toEqual({ created: 2, updated: 1, unchanged: 1 });
    expect(planSummary({ files })).toBe("2 files to create, 1 to update, 1 unchanged.");
    expect(planSummary({ files: [file("b", "updated")] })).toBe("1 file to update.");
    expect(planSummary({ files: [file("c", "unchanged"), file("d", "unchanged")] })).toBe(
      "Everything is up to date — 2 files unchanged.",
    );
    expect(planSummary({ files: [] })).toMatch(/Nothing to export/);
    expect(applyLabel({ files })).toBe("Write 3 files");
    expect(applyLabel({ files: [file("c", "unchanged")] })).toBe("Nothing to write");
  });

  it("group files with changes first", () => {
    const groups = groupFiles([file("x", "unchanged"), file("y", "updated"), file("z", "created")]);
    expect(groups.map((g) => [g.title, g.files.map((f) => f.path)])).toEqual([
      ["New", ["z"]],
      ["Changed", ["y"]],
      ["Unchanged", ["x"]],
    ]);
  });

  it("list templates skipped for errors and those with notes", () => {
    const templates: PlanTemplate[] = [
      { name: "ok", exported: true, dataSet: "default", diagnostics: [], notes: [] },
      { name: "broken", exported: false, dataSet: null, diagnostics: [], notes: [] },
      {
        name: "local",
        exported: true,
        dataSet: "default",
        diagnostics: [],
        notes: ["refers to the local file `logo.png`"],
      },
    ];
    expect(skipped({ templates }).map((t) => t.name)).toEqual(["broken"]);
    expect(noted({ templates }).map((t) => t.name)).toEqual(["local"]);
  });

  it("note exported templates with warnings about their destination, not other warnings", () => {
    const at = { line: 3, column: 5 };
    const warning = (code: Code) => ({
      severity: "warning" as const,
      code,
      file: "t/template.mjml",
      start: at,
      end: at,
      message: code,
    });
    const templates: PlanTemplate[] = [
      { name: "lint-only", exported: true, dataSet: "default", diagnostics: [warning("missing-title")], notes: [] },
      {
        name: "ses",
        exported: true,
        dataSet: "default",
        diagnostics: [warning("unescaped-value"), warning("missing-title")],
        notes: [],
      },
      { name: "images", exported: true, dataSet: "default", diagnostics: [warning("local-image")], notes: [] },
    ];
    expect(noted({ templates }).map((t) => t.name)).toEqual(["ses", "images"]);
    expect(exportWarnings(templates[1]).map((d) => d.code)).toEqual(["unescaped-value"]);
  });

  it("show folders relative to the project", () => {
    expect(folderLabel("/p/project/dist/postmark", "/p/project")).toBe("dist/postmark");
    expect(folderLabel("/p/project", "/p/project/")).toBe(".");
    expect(folderLabel("/elsewhere/out", "/p/project")).toBe("/elsewhere/out");
    expect(folderLabel("/p/project-other", "/p/project")).toBe("/p/project-other");
  });

  it("report progress in words", () => {
    expect(progressText({ step: "compiling", done: 1, total: 7, name: "welcome" })).toEqual({
      text: "Compiling welcome — 2 of 7",
      fraction: 2 / 7,
    });
    expect(progressText({ step: "writing", done: 0, total: 0, name: "x" }).fraction).toBe(1);
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(2048)).toBe("2.0 KB");
  });
});
