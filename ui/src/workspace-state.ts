// The state of the design workspace, held in one `Store`, and what follows from it without the DOM:
// the template shown, the file tabs, the problems, the data sets of the preview, the save state and
// the frames' sizes. Panels render from it; `app.ts` changes it.

import { fileKind } from "./buffers";
import { sortDiagnostics, uniqueDiagnostics } from "./diagnostics";
import type { SizesState } from "./client-support-view";
import type { ColorMode } from "./preview-doc";
import type { ClientSupport, Diagnostic, PreviewResult, ProjectView, TemplateView } from "./types";

export type PreviewTab = "preview" | "html" | "text" | "subject" | "clients";
/** Two views side by side: none, desktop next to mobile, or the data set next to another. */
export type CompareMode = "off" | "widths" | "data";
export type WidthMode = "desktop" | "mobile" | "custom";
export type Theme = "system" | "light" | "dark";

export const WIDTHS: Record<Exclude<WidthMode, "custom">, number> = { desktop: 800, mobile: 375 };

export interface Conflicted {
  path: string;
  kind: "changed" | "deleted";
}

export interface WorkspaceState {
  project: ProjectView | null;
  /** The template whose files are open as tabs. */
  template: string | null;
  dataSet: string | null;
  /** The file in the editor. */
  activePath: string | null;
  /** For a partial in the editor: the template that includes it and is previewed. */
  previewFor: string | null;
  /** The last preview rendered, which may have failed to compile. */
  preview: PreviewResult | null;
  /** The last preview that compiled, shown while the template has errors. */
  lastGood: PreviewResult | null;
  /** Why there is no preview: the render itself failed. */
  previewError: string | null;
  /** A calm message shown in place of the preview when there is nothing to render. */
  previewMessage: string | null;
  /** The other data set's preview, shown beside in the "data" compare mode. */
  compareResult: PreviewResult | null;
  compareDataSet: string | null;
  tab: PreviewTab;
  width: WidthMode;
  customWidth: number;
  color: ColorMode;
  compareMode: CompareMode;
  theme: Theme;
  /** The HTML size of every data set of a template, for the Clients tab. */
  sizes: { template: string; state: SizesState } | null;
  /** The last client-support table received, with its template: the table travels with a
   * preview only while the Clients tab shows, so it is kept for the tab to show meanwhile. */
  lastClients: { template: string; clients: ClientSupport } | null;
  /** Paths with unsaved edits. */
  dirty: readonly string[];
  /** Files changed or deleted on disk while they had unsaved edits. */
  conflicts: readonly Conflicted[];
}

/** The settings kept across launches, read with `saved` (null when never saved). */
export function initialState(saved: (key: string) => string | null): WorkspaceState {
  return {
    project: null,
    template: null,
    dataSet: null,
    activePath: null,
    previewFor: null,
    preview: null,
    lastGood: null,
    lastClients: null,
    previewError: null,
    previewMessage: null,
    compareResult: null,
    compareDataSet: null,
    tab: "preview",
    width: (saved("width") as WidthMode) ?? "desktop",
    customWidth: Number(saved("customWidth") ?? 480) || 480,
    color: (saved("color") as ColorMode) ?? "light",
    compareMode: (saved("compare") as CompareMode) ?? "off",
    theme: (saved("theme") as Theme) ?? "system",
    sizes: null,
    dirty: [],
    conflicts: [],
  };
}

/** The settings written back when they change, by state field and storage key. */
export const SAVED_SETTINGS = {
  width: "width",
  customWidth: "customWidth",
  color: "color",
  compareMode: "compare",
  theme: "theme",
} as const satisfies Partial<Record<keyof WorkspaceState, string>>;

export function templateView(state: Pick<WorkspaceState, "project">, name: string | null): TemplateView | null {
  return state.project?.templates.find((t) => t.name === name) ?? null;
}

/** Whether `path` is MJML that belongs to no template: a partial. */
export function isPartial(state: Pick<WorkspaceState, "project">, path: string | null): boolean {
  return path !== null && fileKind(path) === "mjml" && !templateView(state, path.split("/")[0]);
}

/** The template the preview shows: the current one, or for a partial, one that includes it. */
export function previewTemplate(
  state: Pick<WorkspaceState, "project" | "activePath" | "previewFor" | "template">,
): string | null {
  if (isPartial(state, state.activePath)) return state.previewFor ?? state.template;
  return state.template;
}

/** The data set the preview of `template` uses: the one chosen when it has it, else its first. */
export function dataSetFor(template: TemplateView | null, dataSet: string | null): string | null {
  return template?.dataSets.includes(dataSet ?? "") ? dataSet : (template?.dataSets[0] ?? null);
}

/** The result the preview shows: the last one when it compiled, else the last good one. */
export function shownResult(state: Pick<WorkspaceState, "preview" | "lastGood">): PreviewResult | null {
  return state.preview?.html ? state.preview : state.lastGood;
}

/** Every problem, from the last preview and from the project, once each and in reading order. */
export function problems(state: Pick<WorkspaceState, "preview" | "project">): Diagnostic[] {
  return sortDiagnostics(
    uniqueDiagnostics([...(state.preview?.diagnostics ?? []), ...(state.project?.diagnostics ?? [])]),
  );
}

/** The files of the current template shown as tabs. */
export function templateFiles(state: Pick<WorkspaceState, "project" | "template" | "dataSet">): string[] {
  const t = templateView(state, state.template);
  if (!t) return [];
  const files = [`${t.name}/template.mjml`, `${t.name}/subject.hbs`];
  if (t.hasText) files.push(`${t.name}/text.hbs`);
  if (state.dataSet) files.push(`${t.name}/data/${state.dataSet}.json`);
  return files;
}

export interface FileTab {
  path: string;
  /** What the tab names: the file within its template, the data set's file, or a partial's name. */
  name: string;
  /** A tag before the name for files that are not the template's own. */
  kind: "data" | "partial" | null;
  active: boolean;
  dirty: boolean;
  conflict: boolean;
}

/** The editor's tabs: the template's files, and the file in the editor when it is another one. */
export function fileTabs(
  state: Pick<WorkspaceState, "project" | "template" | "dataSet" | "activePath" | "dirty" | "conflicts">,
): FileTab[] {
  const files = templateFiles(state);
  if (state.activePath && !files.includes(state.activePath)) files.push(state.activePath);
  return files.map((path) => {
    const own = path.startsWith(`${state.template}/`);
    const data = path.includes("/data/");
    return {
      path,
      name: data ? path.split("/data/")[1] : own ? path.split("/").slice(1).join("/") : path.split("/").pop()!,
      kind: data ? "data" : own ? null : "partial",
      active: path === state.activePath,
      dirty: state.dirty.includes(path),
      conflict: state.conflicts.some((c) => c.path === path),
    };
  });
}

/** The words and level of the save state in the top bar. */
export function saveState(dirty: number, conflicts: number): { text: string; level: "conflict" | "dirty" | "clean" } {
  if (conflicts) return { text: `${conflicts} conflict${conflicts > 1 ? "s" : ""}`, level: "conflict" };
  if (dirty) return { text: `${dirty} unsaved`, level: "dirty" };
  return { text: "All changes saved", level: "clean" };
}

/** A data set to show beside `current`: the one chosen, else long values, else another one. */
export function otherDataSet(all: readonly string[], current: string | null, chosen: string | null): string | null {
  if (chosen && all.includes(chosen)) return chosen;
  return (
    (all.includes("long-values") && current !== "long-values"
      ? "long-values"
      : (all.find((d) => d !== current) ?? current)) ?? null
  );
}

/** The note above the preview while a partial is in the editor. */
export function partialNote(
  state: Pick<WorkspaceState, "project" | "activePath" | "previewFor" | "template">,
): string | null {
  const template = previewTemplate(state);
  const path = state.activePath;
  return path && template && !path.startsWith(`${template}/`) && fileKind(path) === "mjml"
    ? `Previewing ${path} inside ${template}`
    : null;
}

export interface FrameFit {
  /** The width the email is laid out at. */
  width: number;
  /** A device border around the frame, for the mobile width. */
  border: number;
  /** How much the frame is scaled down to fit, at most 1. */
  scale: number;
  /** The height of the frame's viewport. */
  height: number;
  /** The width mode the frame shows. */
  mode: WidthMode;
  /** The width and scale in words. */
  label: string;
}

/** Sizes the one or two preview frames to a stage of `stageWidth` by `stageHeight` pixels. */
export function fitFrames(
  state: Pick<WorkspaceState, "compareMode" | "width" | "customWidth">,
  stageWidth: number,
  stageHeight: number,
): FrameFit[] {
  const two = state.compareMode !== "off";
  const chosen = state.width === "custom" ? state.customWidth : WIDTHS[state.width];
  const modes: WidthMode[] = state.compareMode === "widths" ? ["desktop", "mobile"] : [state.width, state.width];
  const widths = state.compareMode === "widths" ? [WIDTHS.desktop, WIDTHS.mobile] : [chosen, chosen];
  const count = two ? 2 : 1;
  const gap = 16;
  const each = (stageWidth - 40 - gap * (count - 1)) / count;
  const caption = two ? 24 : 0;
  return modes.slice(0, count).map((mode, i) => {
    const width = widths[i];
    const border = mode === "mobile" ? 16 : 0;
    const scale = Math.min(1, (each - border) / width);
    const height = Math.max(stageHeight - 40 - border - caption, 200);
    return {
      width,
      border,
      scale,
      height,
      mode,
      label: scale < 0.995 ? `${width} px at ${Math.round(scale * 100)}%` : `${width} px`,
    };
  });
}
