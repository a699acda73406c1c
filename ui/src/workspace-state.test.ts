import { describe, expect, it } from "vitest";
import type { Code, Diagnostic, PreviewResult, ProjectView } from "./types";
import {
  dataSetFor,
  fileTabs,
  fitFrames,
  initialState,
  isPartial,
  otherDataSet,
  partialNote,
  previewTemplate,
  problems,
  saveState,
  shownResult,
  templateFiles,
  type WorkspaceState,
} from "./workspace-state";

const diagnostic = (file: string, line: number, code: Code = "mjml-invalid"): Diagnostic => ({
  severity: "warning",
  code,
  file,
  start: { line, column: 1 },
  end: { line, column: 2 },
  message: `${code} at ${line}`,
});

const project: ProjectView = {
  root: "/p",
  name: "p",
  templates: [
    { name: "welcome", dataSets: ["default", "es", "long-values"], hasText: true },
    { name: "receipt", dataSets: [], hasText: false },
  ],
  partials: ["partials/header.mjml"],
  diagnostics: [diagnostic("letterpress.toml", 1, "config")],
  starters: [],
};

const result = (html: string, diagnostics: Diagnostic[] = []): PreviewResult => ({
  template: "welcome",
  dataSet: "default",
  html,
  text: "",
  subject: "",
  diagnostics,
  htmlBytes: html.length,
  compileMs: 1,
  files: [],
  clients: null,
  markedHtml: null,
  places: [],
});

const state = (patch: Partial<WorkspaceState> = {}): WorkspaceState => ({
  ...initialState(() => null),
  project,
  ...patch,
});

describe("workspace state", () => {
  it("starts from the saved settings, or the defaults", () => {
    const defaults = initialState(() => null);
    expect([defaults.width, defaults.customWidth, defaults.color, defaults.compareMode, defaults.theme]).toEqual([
      "desktop",
      480,
      "light",
      "off",
      "system",
    ]);
    const saved: Record<string, string> = {
      width: "custom",
      customWidth: "612",
      color: "dark",
      compare: "widths",
      theme: "dark",
    };
    const restored = initialState((key) => saved[key] ?? null);
    expect([restored.width, restored.customWidth, restored.color, restored.compareMode, restored.theme]).toEqual([
      "custom",
      612,
      "dark",
      "widths",
      "dark",
    ]);
    expect(initialState((key) => (key === "customWidth" ? "wide" : null)).customWidth).toBe(480);
  });

  it("previews the template, or for a partial the template chosen for it", () => {
    expect(isPartial(state(), "partials/header.mjml")).toBe(true);
    expect(isPartial(state(), "welcome/template.mjml")).toBe(false);
    expect(isPartial(state(), "welcome/data/es.json")).toBe(false);
    expect(
      previewTemplate(state({ template: "welcome", activePath: "welcome/subject.hbs", previewFor: "receipt" })),
    ).toBe("welcome");
    expect(
      previewTemplate(state({ template: "welcome", activePath: "partials/header.mjml", previewFor: "receipt" })),
    ).toBe("receipt");
    expect(previewTemplate(state({ template: "welcome", activePath: "partials/header.mjml", previewFor: null }))).toBe(
      "welcome",
    );
    expect(partialNote(state({ template: "welcome", activePath: "partials/header.mjml", previewFor: "receipt" }))).toBe(
      "Previewing partials/header.mjml inside receipt",
    );
    expect(partialNote(state({ template: "welcome", activePath: "welcome/template.mjml" }))).toBeNull();
  });

  it("falls back to the template's first data set, or none", () => {
    const [welcome, receipt] = project.templates;
    expect(dataSetFor(welcome, "es")).toBe("es");
    expect(dataSetFor(welcome, "gone")).toBe("default");
    expect(dataSetFor(receipt, "es")).toBeNull();
    expect(dataSetFor(null, "es")).toBeNull();
  });

  it("shows the last good preview while the template does not compile", () => {
    const good = result("<p>ok</p>");
    const broken = result("");
    expect(shownResult(state({ preview: good, lastGood: good }))).toBe(good);
    expect(shownResult(state({ preview: broken, lastGood: good }))).toBe(good);
    expect(shownResult(state({ preview: broken, lastGood: null }))).toBeNull();
  });

  it("lists the problems of the preview and the project once each, in order", () => {
    const preview = result("", [
      diagnostic("welcome/template.mjml", 9),
      diagnostic("welcome/template.mjml", 2),
      diagnostic("welcome/template.mjml", 9),
    ]);
    const list = problems(state({ preview }));
    expect(list.map((d) => `${d.file}:${d.start.line}`)).toEqual([
      "letterpress.toml:1",
      "welcome/template.mjml:2",
      "welcome/template.mjml:9",
    ]);
    expect(problems(state({ project: null }))).toEqual([]);
  });

  it("opens the template's files as tabs, with the file in the editor when it is another", () => {
    expect(templateFiles(state({ template: "receipt", dataSet: null }))).toEqual([
      "receipt/template.mjml",
      "receipt/subject.hbs",
    ]);
    const tabs = fileTabs(
      state({
        template: "welcome",
        dataSet: "es",
        activePath: "partials/header.mjml",
        dirty: ["welcome/data/es.json", "partials/header.mjml"],
        conflicts: [{ path: "welcome/subject.hbs", kind: "changed" }],
      }),
    );
    expect(tabs).toEqual([
      {
        path: "welcome/template.mjml",
        name: "template.mjml",
        kind: null,
        active: false,
        dirty: false,
        conflict: false,
      },
      { path: "welcome/subject.hbs", name: "subject.hbs", kind: null, active: false, dirty: false, conflict: true },
      { path: "welcome/text.hbs", name: "text.hbs", kind: null, active: false, dirty: false, conflict: false },
      { path: "welcome/data/es.json", name: "es.json", kind: "data", active: false, dirty: true, conflict: false },
      {
        path: "partials/header.mjml",
        name: "header.mjml",
        kind: "partial",
        active: true,
        dirty: true,
        conflict: false,
      },
    ]);
    expect(fileTabs(state({ template: null, activePath: null }))).toEqual([]);
  });

  it("words the save state", () => {
    expect(saveState(0, 0)).toEqual({ text: "All changes saved", level: "clean" });
    expect(saveState(1, 0)).toEqual({ text: "1 unsaved", level: "dirty" });
    expect(saveState(3, 1)).toEqual({ text: "1 conflict", level: "conflict" });
    expect(saveState(3, 2)).toEqual({ text: "2 conflicts", level: "conflict" });
  });

  it("picks a data set to show beside: the chosen one, else long values, else another", () => {
    const all = ["default", "es", "long-values"];
    expect(otherDataSet(all, "default", "es")).toBe("es");
    expect(otherDataSet(all, "default", "gone")).toBe("long-values");
    expect(otherDataSet(all, "long-values", null)).toBe("default");
    expect(otherDataSet(["only"], "only", null)).toBe("only");
    expect(otherDataSet([], null, null)).toBeNull();
  });

  it("scales the frames down to fit the stage, never up", () => {
    const [wide] = fitFrames({ compareMode: "off", width: "desktop", customWidth: 480 }, 1240, 700);
    expect(wide).toMatchObject({ width: 800, scale: 1, border: 0, height: 660, mode: "desktop", label: "800 px" });
    const [narrow] = fitFrames({ compareMode: "off", width: "desktop", customWidth: 480 }, 440, 700);
    expect(narrow.scale).toBe(0.5);
    expect(narrow.label).toBe("800 px at 50%");
    const [custom] = fitFrames({ compareMode: "off", width: "custom", customWidth: 612 }, 1240, 100);
    expect(custom).toMatchObject({ width: 612, height: 200 });
    const pair = fitFrames({ compareMode: "widths", width: "custom", customWidth: 612 }, 1240, 700);
    expect(pair.map((f) => [f.mode, f.width, f.border, f.height])).toEqual([
      ["desktop", 800, 0, 636],
      ["mobile", 375, 16, 620],
    ]);
    expect(fitFrames({ compareMode: "data", width: "mobile", customWidth: 480 }, 1240, 700).map((f) => f.mode)).toEqual(
      ["mobile", "mobile"],
    );
  });
});
