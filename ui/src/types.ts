// The shapes the shell sends and receives, mirrored from `src-tauri/src/wire.rs`.

export type Severity = "error" | "warning";

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
