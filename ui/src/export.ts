// Export as people review it: what each format is for, a plan summed up in a sentence, its files
// grouped by what will happen to them, and progress in words.

import type { FormatChoice } from "./bindings/FormatChoice";
import type { ExportFormat, ExportPlan, ExportProgress, FileChangeKind, PlanFile, PlanTemplate } from "./mail-types";

/** How the choices word `format`, from the table of formats in the core: its label and what it
 * is for (its name alone, should the choices lack it). */
export function formatInfo(formats: readonly FormatChoice[], format: ExportFormat): FormatChoice {
  return formats.find((f) => f.format === format) ?? { format, label: format, description: "" };
}

export interface PlanCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export function counts(plan: Pick<ExportPlan, "files">): PlanCounts {
  const out: PlanCounts = { created: 0, updated: 0, unchanged: 0 };
  for (const file of plan.files) out[file.change]++;
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** What applying the plan will do, in one sentence. */
export function planSummary(plan: Pick<ExportPlan, "files">): string {
  const c = counts(plan);
  if (!plan.files.length) return "Nothing to export: no template compiled without errors.";
  if (c.created + c.updated === 0) return `Everything is up to date — ${plural(c.unchanged, "file")} unchanged.`;
  const parts: string[] = [];
  if (c.created) parts.push(`${plural(c.created, "file")} to create`);
  if (c.updated) parts.push(`${c.created ? c.updated : plural(c.updated, "file")} to update`);
  if (c.unchanged) parts.push(`${c.unchanged} unchanged`);
  return `${parts.join(", ")}.`;
}

/** The label of the button that applies the plan. */
export function applyLabel(plan: Pick<ExportPlan, "files">): string {
  const c = counts(plan);
  const n = c.created + c.updated;
  return n ? `Write ${plural(n, "file")}` : "Nothing to write";
}

export interface FileGroup {
  change: FileChangeKind;
  title: string;
  files: PlanFile[];
}

const GROUP_TITLES: Record<FileChangeKind, string> = { created: "New", updated: "Changed", unchanged: "Unchanged" };

/** The files in groups, changes first; empty groups are left out. */
export function groupFiles(files: readonly PlanFile[]): FileGroup[] {
  return (["created", "updated", "unchanged"] as FileChangeKind[])
    .map((change) => ({ change, title: GROUP_TITLES[change], files: files.filter((f) => f.change === change) }))
    .filter((group) => group.files.length > 0);
}

/** Templates left out because they have errors. */
export function skipped(plan: Pick<ExportPlan, "templates">): PlanTemplate[] {
  return plan.templates.filter((t) => !t.exported);
}

/** Warnings about how a template will fare at its destination, worth reading before writing. */
const EXPORT_WARNINGS = new Set(["local-image", "dialect-undocumented", "unescaped-value"]);

/** The warnings of an exported template that concern the export itself. */
export function exportWarnings(template: PlanTemplate): PlanTemplate["diagnostics"] {
  return template.diagnostics.filter((d) => d.severity === "warning" && EXPORT_WARNINGS.has(d.code));
}

/** Templates exported with notes worth reading (local images, what the provider's engine does
 * not document or escape). */
export function noted(plan: Pick<ExportPlan, "templates">): PlanTemplate[] {
  return plan.templates.filter((t) => t.exported && (t.notes.length > 0 || exportWarnings(t).length > 0));
}

/** A folder shown relative to the project when it is inside it. */
export function folderLabel(path: string, projectRoot: string): string {
  const root = projectRoot.replace(/[/\\]+$/, "");
  if (path === root) return ".";
  if (path.startsWith(`${root}/`) || path.startsWith(`${root}\\`)) return path.slice(root.length + 1);
  return path;
}

/** "Compiling welcome — 2 of 7" and the fraction done. */
export function progressText(event: ExportProgress): { text: string; fraction: number } {
  const verb = event.step === "compiling" ? "Compiling" : "Writing";
  const total = Math.max(event.total, 1);
  return {
    text: `${verb} ${event.name} — ${event.done + 1} of ${event.total}`,
    fraction: Math.min((event.done + 1) / total, 1),
  };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
