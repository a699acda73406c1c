// The shapes the shell sends and receives, mirrored from `src-tauri/src/wire.rs`.

/** Infos are worth knowing (which mail clients lack a feature) and never make a template fail. */
export type Severity = "error" | "warning" | "info";

export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  code: string;
  /** Project-relative path with `/` separators. */
  file: string;
  start: Position;
  end: Position;
  message: string;
}

export interface TemplateView {
  name: string;
  dataSets: string[];
  hasText: boolean;
}

export interface ProjectView {
  root: string;
  name: string;
  templates: TemplateView[];
  partials: string[];
  diagnostics: Diagnostic[];
  starters: string[];
}

export interface FileText {
  text: string;
  hash: string;
}

export interface PreviewRequest {
  template: string;
  dataSet: string | null;
  buffers: { path: string; text: string }[];
  /** Carry the client-support table (only the Clients tab shows it). */
  clients?: boolean;
}

export interface PreviewResult {
  template: string;
  dataSet: string | null;
  html: string;
  text: string;
  subject: string;
  diagnostics: Diagnostic[];
  htmlBytes: number;
  compileMs: number;
  files: string[];
  /** How the popular mail clients support what the template uses; null when it did not compile. */
  clients: ClientSupport | null;
  /** The same email with source markers (`<!--lp-src:N-->` before what `places[N]` wrote), for the preview only. */
  markedHtml: string | null;
  /** Where in the MJML each marker's element starts. */
  places: Place[];
}

/** A range in a source file, as `checks::clients` places features. */
export interface Place {
  file: string;
  start: Position;
  end: Position;
}

/** Mirrors `letterpress_core::checks::clients::ClientSupport`. */
export interface ClientSupport {
  /** The caniemail release the data comes from, and the date of its data. */
  caniemail: string;
  updated: string;
  clients: ClientRow[];
  /** Features some popular clients lack, most lacking first. */
  problems: SupportProblem[];
}

export interface ClientRow {
  id: string;
  name: string;
  /** 0 to 100. */
  score: number;
}

export interface SupportProblem {
  slug: string;
  title: string;
  /** caniemail's page for the feature. */
  url: string;
  /** What the template writes, such as `border-radius` or `@media`. */
  written: string;
  /** Ids of the clients that do not support it. */
  unsupported: string[];
  /** Ids of those that support it partly, with caniemail's note. */
  partial: { client: string; note: string | null }[];
  uses: number;
  /** Whether the template's own files write it, rather than only the markup MJML generates. */
  in_source: boolean;
  /** Where it is used, the place the template writes it first. */
  places: Place[];
}

export interface SizesRequest {
  template: string;
  buffers: { path: string; text: string }[];
}

/** The size of one data set's final HTML; null bytes when the template does not compile. */
export interface DataSetSize {
  dataSet: string | null;
  htmlBytes: number | null;
}

export type ChangeKind = "created" | "modified" | "removed";

export interface ChangedFile {
  path: string;
  kind: ChangeKind;
  hash: string | null;
}

export interface ProjectChanged {
  changes: ChangedFile[];
  rescan: boolean;
  project: ProjectView;
}

export interface RecentProject {
  path: string;
  name: string;
  exists: boolean;
}

/** Codes the shell answers with; the UI branches on these, never on messages. */
export type ErrorCode =
  | "no-project"
  | "project-not-found"
  | "not-a-folder"
  | "io"
  | "invalid-name"
  | "already-exists"
  | "not-found"
  | "conflict"
  | "outside-project"
  | "not-text"
  | "unknown-template"
  | "unknown-data-set"
  | "internal";

/** An error from a command, as `{ code, message }`. */
export class BackendError extends Error {
  constructor(
    readonly code: ErrorCode | string,
    message: string,
  ) {
    super(message);
    this.name = "BackendError";
  }

  /** Turns whatever a command threw into a `BackendError`. */
  static from(raw: unknown): BackendError {
    if (raw instanceof BackendError) return raw;
    if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
      const { code, message } = raw as { code: unknown; message: unknown };
      return new BackendError(String(code), String(message));
    }
    return new BackendError("internal", raw instanceof Error ? raw.message : String(raw));
  }
}
